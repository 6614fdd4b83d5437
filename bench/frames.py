"""When the first frame showing a new page has been drawn: the one clock for the kiosk's taps
(bench.journeys) and the bare window's (bench.versus_bare), so both are timed alike.

Qt paints a frame top down: the window first, then everything in it, then hands the image to
the display, all while handling one update request. So the window's first paint once the new
page is in begins the frame, and an event posted then, at low priority, is handled only once that
update request is done: the frame is drawn and on its way to the screen. Whatever else is queued
by then at a higher priority (a layout the paint asked for) runs first and is counted too.

Only the window is watched: a filter on the application would time itself with every event.
This module imports nothing but Qt, so that the bare window loads nothing else for it."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget

_DRAWN = QEvent.Type(QEvent.registerEventType())


class FirstFrame(QObject):
    """``begun`` and ``drawn`` (perf_counter seconds) for the first frame of ``window`` painted
    once ``shown()`` is true (the new page is in). ``close()`` stops watching."""

    def __init__(self, window: QWidget, shown: Callable[[], bool]) -> None:
        super().__init__()
        self._window, self._shown = window, shown
        self.begun: float | None = None
        self.drawn: float | None = None
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self.begun is None and event.type() == QEvent.Type.Paint and self._shown():
            self.begun = time.perf_counter()
            QCoreApplication.postEvent(self, QEvent(_DRAWN), Qt.EventPriority.LowEventPriority.value)
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() == _DRAWN:
            self.drawn = time.perf_counter()
            return True
        return super().event(event)

    def close(self) -> None:
        self._window.removeEventFilter(self)
