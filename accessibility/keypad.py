"""Moving through the kiosk without sight or touch, EZ-Access style: a USB keypad or keyboard.

Arrow keys and Tab move through every control in order; Enter (or the keypad's Enter) presses
the control that has focus, or ticks the option; the Help key (F1, or "?") reads the page again
and says how to move around."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QPlainTextEdit, QScrollArea, QWidget

from kiosk.app_events import watch
from kiosk.workflows.i18n import N_

HELP_TEXT = N_("Use the up and down arrow keys, or Tab, to move from one thing to the next. "
               "Press Enter to choose. Press the Help key to hear this page again.")
NEXT = {Qt.Key.Key_Down, Qt.Key.Key_Right}
PREVIOUS = {Qt.Key.Key_Up, Qt.Key.Key_Left}
ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
HELP = {Qt.Key.Key_F1, Qt.Key.Key_Help, Qt.Key.Key_Question}


def _can_focus(w: QWidget, window: QWidget) -> bool:
    # Any control that takes focus at all: Qt gives Tab focus to one radio of a group only,
    # but a keypad user must be able to reach every option.
    return (w.isVisible() and w.isEnabled() and w.focusPolicy() != Qt.FocusPolicy.NoFocus
            and not isinstance(w, QScrollArea) and (w is window or window.isAncestorOf(w)))


class Keypad(QObject):
    def __init__(self, app: QApplication, window: QWidget, on_help: Callable[[], None],
                 on_move: Callable[[QWidget], None] | None = None) -> None:
        super().__init__()
        self.window = window
        self.on_help = on_help
        #: Told of each control the keypad moves to (the kiosk's own speech says it).
        self.on_move = on_move
        watch(app, self, (QEvent.Type.KeyPress,))

    def move(self, focus: QWidget, forward: bool) -> None:
        """The next (or previous) control in the focus chain that can take focus."""
        candidate: QWidget | None = focus
        for _ in range(1000):
            assert candidate is not None
            candidate = candidate.nextInFocusChain() if forward else candidate.previousInFocusChain()
            if candidate is None or candidate is focus:
                return
            if _can_focus(candidate, self.window):
                candidate.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
                if self.on_move is not None:
                    self.on_move(candidate)
                return

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        focus = QApplication.focusWidget()
        if focus is None or not (focus is self.window or self.window.isAncestorOf(focus)):
            return False
        key = event.key()
        typing = isinstance(focus, (QLineEdit, QPlainTextEdit))
        if key in HELP and not (typing and key == Qt.Key.Key_Question):
            self.on_help()
            return True
        if key in NEXT and not (typing and key == Qt.Key.Key_Right) and not isinstance(focus, QPlainTextEdit):
            self.move(focus, forward=True)
            return True
        if key in PREVIOUS and not (typing and key == Qt.Key.Key_Left) and not isinstance(focus, QPlainTextEdit):
            self.move(focus, forward=False)
            return True
        if key in ENTER and isinstance(focus, QAbstractButton):
            focus.click()
            return True
        return False
