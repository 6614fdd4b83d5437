"""Idle timeout with a warning, as WCAG 2.2.1 asks: warn, give at least 20 seconds, let the
resident extend as often as they like, then end the session."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kiosk.app_events import stop_timers, watch

#: Events that mean a person is there.
ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class IdleTimer(QObject):
    """Counts down while nobody touches the screen.

    ``warn(seconds)`` is emitted when the idle time is up; from then on ``tick(seconds_left)``
    each second, and ``expired()`` at zero, unless ``extend()`` is called. Activity resets the
    idle count but does not dismiss a warning: only the "more time" answer does.
    """

    warn = Signal(int)
    tick = Signal(int)
    expired = Signal()

    def __init__(self, app: QApplication, warning_ms: int) -> None:
        super().__init__()
        self.warning_ms = warning_ms
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._on_idle)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._on_tick)
        self._left = 0
        self._limit_ms = 0
        self._paused = 0
        watch(app, self, ACTIVITY)

    @property
    def warning(self) -> bool:
        return self._countdown.isActive()

    @property
    def active(self) -> bool:
        return self._idle.isActive() or self._countdown.isActive()

    @property
    def limit_ms(self) -> int:
        """The idle limit set now (0: none)."""
        return self._limit_ms

    def arm(self, limit_ms: int) -> None:
        """Start (or restart) counting idle time for the screen now showing."""
        self._countdown.stop()
        self._limit_ms = limit_ms
        if self._paused == 0:
            self._idle.start(limit_ms)

    def stop(self) -> None:
        stop_timers(self._idle, self._countdown)  # at exit they may have gone already
        self._limit_ms = 0
        self._paused = 0

    def pause(self) -> None:
        """While the kiosk is busy on the resident's behalf (sending, looking up)."""
        self._paused += 1
        self._idle.stop()

    def resume(self) -> None:
        self._paused = max(0, self._paused - 1)
        if self._paused == 0 and self._limit_ms and not self._countdown.isActive():
            self._idle.start(self._limit_ms)

    def extend(self) -> None:
        """"I need more time": back to a full idle period."""
        self._countdown.stop()
        if self._limit_ms:
            self._idle.start(self._limit_ms)

    def _on_idle(self) -> None:
        self._left = max(1, round(self.warning_ms / 1000))
        self._countdown.start()
        self.warn.emit(self._left)

    def _on_tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._countdown.stop()
            self._limit_ms = 0
            self.expired.emit()
        else:
            self.tick.emit(self._left)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self._idle.isActive():
            self._idle.start(self._limit_ms)
        return False
