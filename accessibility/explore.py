"""Explore by touch: in speech mode a tap says what is under the finger, and a second tap on the
same control presses it, as phone screen readers do."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from accessibility.speech import Narrator, control_words
from kiosk.app_events import watch
from kiosk.views.text import tr


class ExploreByTouch(QObject):
    """In speech mode a tap says what is under the finger; a second tap on the same control,
    soon after, presses it (as phone screen readers do). Text boxes take focus at once."""

    DOUBLE_TAP_MS = 1200

    def __init__(self, app: QApplication, narrator: Narrator, window: QWidget,
                 clock: Callable[[], float] | None = None) -> None:
        super().__init__()
        self.narrator = narrator
        self.window = window
        self._clock = clock or time.monotonic
        self._armed: QAbstractButton | None = None
        self._armed_at = 0.0
        self._swallow_release = False
        watch(app, self, (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease))

    def _button_at(self, event: QMouseEvent) -> QAbstractButton | None:
        """The control under the finger (the window's input: window coordinates)."""
        w = self.window.childAt(self.window.mapFromGlobal(event.globalPosition().toPoint()))
        while w is not None and w is not self.window:
            if isinstance(w, QAbstractButton):
                return w
            w = w.parentWidget()
        return None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not self.narrator.enabled:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonRelease and self._swallow_release:
            self._swallow_release = False
            return True
        if kind != QEvent.Type.MouseButtonPress or not isinstance(event, QMouseEvent):
            return False
        if obj is not self.window.windowHandle():
            return False
        button = self._button_at(event)
        if button is None:
            return False
        now = self._clock()
        if button is self._armed and (now - self._armed_at) * 1000 <= self.DOUBLE_TAP_MS:
            self._armed = None  # the second tap: let it press the control
            return False
        self._armed, self._armed_at = button, now
        name = button.accessibleName() or button.text()
        said = control_words(name, button.isCheckable(), button.isCheckable() and button.isChecked())
        hint = button.accessibleDescription()
        self.narrator.say(f"{said}. {hint + '. ' if hint else ''}{tr('Tap again to choose it.')}", remember=False)
        self._swallow_release = True
        return True
