"""One event filter for all of the kiosk's input watchers (idle timer, lockdown, corner hold,
keypad, speech, explore-by-touch, the keyboard's hide-on-lift), on the kiosk's window.

It sits on the window's ``QWindow``, where every touch, click and key arrives from the display
before Qt hands it to a widget, and never on the application. An application-wide Python filter
is entered for every event in the app: building and styling one page is about a thousand
(polish, style, font, palette, layout, paint), each a call from C++ into Python that wraps the
event and its receiver. Measured: page changes 15% slower, text-size and language switches 10 to
25% slower with the filter on the application. On the window only input and a few window events
(expose, resize, update) reach Python.

What a watcher sees: the event as the window received it (window coordinates; ``obj`` is the
``QWindow``); returning True keeps it from every widget. The type is read once and only the
watchers that asked for it are called, the most recently added first. The dispatcher lives on
the application object: no module state."""

from __future__ import annotations

from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

NAME = "kiosk_app_events"


class AppEvents(QObject):
    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.setObjectName(NAME)
        self._by_type: dict[QEvent.Type, list[QObject]] = {}

    def add(self, watcher: QObject, types: Iterable[QEvent.Type]) -> None:
        for kind in types:
            self._by_type.setdefault(kind, []).insert(0, watcher)  # the newest is asked first

    def remove(self, watcher: QObject) -> None:
        for watchers in self._by_type.values():
            while watcher in watchers:
                watchers.remove(watcher)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        watchers = self._by_type.get(event.type())
        if watchers:
            for watcher in list(watchers):
                if watcher.eventFilter(obj, event):
                    return True
        return False


def _hub(app: QCoreApplication) -> AppEvents:
    hub = app.findChild(AppEvents, NAME)
    return hub if hub is not None else AppEvents(app)


def watch(app: QCoreApplication, watcher: QObject, types: Iterable[QEvent.Type]) -> None:
    """Have ``watcher.eventFilter`` see these types of input to the kiosk's window."""
    _hub(app).add(watcher, types)


def unwatch(app: QCoreApplication, watcher: QObject) -> None:
    hub = app.findChild(AppEvents, NAME)
    if hub is not None:
        hub.remove(watcher)


def cover(window: QWidget) -> None:
    """The watchers see the input to this top-level widget (call it once it is shown, when it
    has its ``QWindow``; again is harmless). Its child widgets, overlays included, are covered."""
    app = QCoreApplication.instance()
    handle = window.windowHandle()
    if app is not None and handle is not None:
        handle.installEventFilter(_hub(app))


def stop_timers(*timers: QTimer) -> None:
    """Stop timers that may already have gone with the window they belong to."""
    for timer in timers:
        if shiboken6.isValid(timer):
            timer.stop()
