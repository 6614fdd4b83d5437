"""Touch-first behaviour for text boxes: a finger dragging across a box must not select text
(on a shared touchscreen that only confuses), and a double tap must not select a word."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent


class NoDragSelect(QObject):
    """Event filter for QLineEdit / QPlainTextEdit (and its viewport): taps place the cursor,
    drags and double taps do nothing."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        dragging = (kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent)
                    and bool(event.buttons() & Qt.MouseButton.LeftButton))
        return kind == QEvent.Type.MouseButtonDblClick or dragging
