"""A PIN pad drawn on top of the screen. Digits are never shown or exposed, only counted."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.views.widgets import button, label


class PinPad(QWidget):
    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget, heading: str, max_digits: int = 8) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._digits = ""
        self._max = max_digits
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("overlay_card")
        card.setFixedWidth(560)
        lay = QVBoxLayout(card)
        lay.setContentsMargins(32, 32, 32, 32)
        lay.setSpacing(16)
        lay.addWidget(label(heading, "subheading", "pin_heading"))
        self.display = label("", "reference", "pin_display")
        self.display.setAccessibleName("PIN: no digits entered")
        lay.addWidget(self.display)
        self.message = label("", "error", "pin_message")
        self.message.hide()
        lay.addWidget(self.message)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.keys = {}
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "delete", "0", "enter"]):
            text = {"delete": "Delete", "enter": "Enter"}.get(key, key)
            b = button(text, "primary" if key == "enter" else "secondary", f"pin_{key}",
                       {"delete": "Delete the last digit", "enter": "Check the PIN"}.get(key, ""))
            b.setMinimumSize(140, 80)
            b.clicked.connect(lambda _=False, k=key: self._on_key(k))
            grid.addWidget(b, i // 3, i % 3)
            self.keys[key] = b
        lay.addLayout(grid)
        row = QHBoxLayout()
        cancel = button("Cancel", "link", "pin_cancel", "Close the PIN pad")
        cancel.clicked.connect(self.cancelled)
        row.addWidget(cancel)
        lay.addLayout(row)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def _on_key(self, key: str) -> None:
        if key == "delete":
            self._digits = self._digits[:-1]
        elif key == "enter":
            digits, self._digits = self._digits, ""
            self._show_count()
            self.submitted.emit(digits)
            return
        elif len(self._digits) < self._max:
            self._digits += key
        self._show_count()

    def _show_count(self) -> None:
        n = len(self._digits)
        self.display.setText("●" * n)
        self.display.setAccessibleName(f"PIN: {n} digit{'s' if n != 1 else ''} entered" if n else
                                       "PIN: no digits entered")

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.message.show()

    def show_locked(self, seconds: float) -> None:
        """Too many wrong tries: say for how long, and take the keys away."""
        if seconds > 0:
            minutes = max(1, round(seconds / 60))
            self.say(f"Too many wrong PINs. The PIN pad is locked for {minutes} minute{'s' if minutes != 1 else ''}.")
            self.set_locked(True)

    def set_locked(self, locked: bool) -> None:
        for key in self.keys.values():
            key.setEnabled(not locked)
