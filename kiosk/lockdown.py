"""Lockdown inside the app: keys that could escape or reveal anything are swallowed, and there
are no context menus or drag and drop. (The compositor, cage, does the rest: no desktop, no
VT switching.)"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from kiosk.app_events import watch

log = logging.getLogger("kiosk.lockdown")

Mod = Qt.KeyboardModifier
#: (key, modifiers that must be held); None means "with any modifiers".
BLOCKED: list[tuple[Qt.Key, Qt.KeyboardModifier | None]] = [
    (Qt.Key.Key_F4, Mod.AltModifier),
    (Qt.Key.Key_Q, Mod.ControlModifier),
    (Qt.Key.Key_W, Mod.ControlModifier),
    (Qt.Key.Key_F11, None),
    (Qt.Key.Key_Escape, None),
    (Qt.Key.Key_Tab, Mod.AltModifier),
    (Qt.Key.Key_Backtab, Mod.AltModifier),
    (Qt.Key.Key_Super_L, None),
    (Qt.Key.Key_Super_R, None),
    (Qt.Key.Key_Meta, None),
    (Qt.Key.Key_Menu, None),
    (Qt.Key.Key_Delete, Mod.ControlModifier | Mod.AltModifier),
    (Qt.Key.Key_Backspace, Mod.ControlModifier | Mod.AltModifier),
    # Clipboard shortcuts: nothing a resident types should travel anywhere.
    (Qt.Key.Key_C, Mod.ControlModifier),
    (Qt.Key.Key_X, Mod.ControlModifier),
    (Qt.Key.Key_V, Mod.ControlModifier),
    (Qt.Key.Key_Insert, Mod.ShiftModifier),
]
KEY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
REFUSED = {QEvent.Type.ContextMenu, QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop}
#: A right-click opens a widget's context menu without a context-menu event reaching the window
#: (Qt makes it for the widget under the pointer), so the right button is refused at the window.
MOUSE_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick}


def is_blocked(key: int, modifiers: Qt.KeyboardModifier) -> bool:
    mods = modifiers & ~Mod.KeypadModifier
    return any(key == blocked_key and (needed is None or mods & needed == needed) for blocked_key, needed in BLOCKED)


class Lockdown(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.swallowed = 0
        watch(app, self, KEY_EVENTS | REFUSED | MOUSE_EVENTS)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in KEY_EVENTS and isinstance(event, QKeyEvent) and is_blocked(event.key(), event.modifiers()):
            if kind == QEvent.Type.KeyPress:
                self.swallowed += 1
                log.info("blocked a key combination", extra={"key": int(event.key())})
            return True
        if kind in REFUSED:
            self.swallowed += 1
            return True
        if kind in MOUSE_EVENTS and isinstance(event, QMouseEvent) and (
                event.button() == Qt.MouseButton.RightButton or event.buttons() & Qt.MouseButton.RightButton):
            if kind == QEvent.Type.MouseButtonPress:
                self.swallowed += 1
            return True
        return False
