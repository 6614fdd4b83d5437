"""The staff gesture: press and hold the top-left corner of the screen. Residents do not
find it by chance; staff are told where it is. The release that ends a hold is swallowed,
so it never also taps whatever is under the finger."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.app_events import watch

CORNER = 120  # px


class CornerHold(QObject):
    held = Signal()

    def __init__(self, app: QApplication, window: QWidget, hold_ms: int) -> None:
        super().__init__()
        self.window = window
        self.hold_ms = hold_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_held)
        self._swallow_release = False
        watch(app, self, (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease))

    def _corner(self) -> QRect:
        top_left = self.window.mapToGlobal(QPoint(0, 0))
        return QRect(top_left.x(), top_left.y(), CORNER, CORNER)

    def _on_held(self) -> None:
        self._swallow_release = True
        self.held.emit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not isinstance(event, QMouseEvent) or obj is not self.window.windowHandle():
            return False
        pos = event.globalPosition().toPoint()
        if kind == QEvent.Type.MouseButtonPress:
            if self._corner().contains(pos):
                self._timer.start(self.hold_ms)
        elif kind == QEvent.Type.MouseMove:
            if self._timer.isActive() and not self._corner().contains(pos):
                self._timer.stop()
        elif kind == QEvent.Type.MouseButtonRelease:
            self._timer.stop()
            if self._swallow_release:
                self._swallow_release = False
                return True
        return False
