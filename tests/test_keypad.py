"""A whole look-up with a keypad alone: arrows to move, Enter to choose, Help to hear the page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.resident import Kiosk
from tests.test_speech import Recorder


def focused() -> str:
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def press(k: Kiosk, key: Qt.Key) -> None:
    assert QApplication.focusWidget() is not None, "nothing has focus"
    k.key(key)


def move_to(k: Kiosk, name: str, key: Qt.Key = Qt.Key.Key_Down) -> None:
    for _ in range(40):
        if focused() == name:
            return
        press(k, key)
    raise AssertionError(f"never reached {name}; focus is on {focused()}")


def test_keypad_only_journey_and_help_key(kiosk: Kiosk) -> None:
    recorder = Recorder()
    kiosk.controller.narrator.speaker = recorder
    kiosk.qtbot.waitUntil(lambda: focused() == "attract_start", timeout=2000)
    press(kiosk, Qt.Key.Key_Return)
    kiosk.wait_page("home_page")
    move_to(kiosk, "tile_free-wifi")
    press(kiosk, Qt.Key.Key_Enter)
    kiosk.wait_heading("What do you need?")
    move_to(kiosk, "option_need_computer")
    press(kiosk, Qt.Key.Key_Return)  # an answer acts: no Continue to find
    kiosk.wait_page("result")
    assert "Central Library" in kiosk.texts()
    # Help: speech comes on, reads the page, and says how to move around.
    press(kiosk, Qt.Key.Key_F1)
    assert kiosk.controller.narrator.enabled
    assert recorder.said[-1].startswith("‹ Back, button. Find free WiFi and computers. Places near you.")
    assert recorder.said[-1].endswith("Press the Help key to hear this page again.")
