"""One application-wide event filter for all of the kiosk's watchers (idle timer, lockdown,
corner hold, keypad, speech, explore-by-touch).

Every Python event filter on the application is called for every event in the app, and asking
an event its type from Python costs an enum conversion each time. Six filters made a text-size
switch (thousands of style and layout events) twice as slow. Here the type is read once and only
the watchers that asked for that type are called, in the order Qt would have called them (the
most recently added first). The dispatcher lives on the application object: no module state."""

from __future__ import annotations

from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

NAME = "kiosk_app_events"


class AppEvents(QObject):
    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.setObjectName(NAME)
        self._by_type: dict[QEvent.Type, list[QObject]] = {}
        app.installEventFilter(self)

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


def watch(app: QCoreApplication, watcher: QObject, types: Iterable[QEvent.Type]) -> None:
    """Have ``watcher.eventFilter`` see the application's events of these types."""
    hub = app.findChild(AppEvents, NAME)
    if hub is None:
        hub = AppEvents(app)
    hub.add(watcher, types)


def unwatch(app: QCoreApplication, watcher: QObject) -> None:
    hub = app.findChild(AppEvents, NAME)
    if hub is not None:
        hub.remove(watcher)


def stop_timers(*timers: QTimer) -> None:
    """Stop timers that may already have gone with the window they belong to."""
    for timer in timers:
        if shiboken6.isValid(timer):
            timer.stop()
