"""Text size and contrast: chosen from the menu, applied at once, longer timeouts, reset by the wipe."""

from __future__ import annotations

from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QLabel, QLineEdit

from accessibility.themes import all_themes, contrast, text_pairs, ui_pairs
from tests.resident import Kiosk


def heading_px(k: Kiosk) -> int:
    lab = k.page.findChild(QLabel, "page_heading")
    assert lab is not None
    return QFontInfo(lab.font()).pixelSize()


def test_large_text_and_high_contrast_apply_at_once_and_the_wipe_resets_them(kiosk: Kiosk) -> None:
    kiosk.tap("attract_accessibility")  # reachable before starting
    kiosk.tap("overlay_size_large")
    assert kiosk.controller.display.text_size == "large"
    kiosk.tap("overlay_close")
    kiosk.tap("attract_start")
    kiosk.wait_page("home_page")
    assert heading_px(kiosk) == 66  # 44 px at 150%
    kiosk.tap("tile_missed-bin")
    kiosk.wait_heading("What is the address of the missed bin?")
    kiosk.tap("accessibility")  # and from every screen's top bar
    kiosk.tap("overlay_contrast_high")
    assert kiosk.window.overlay is not None
    assert kiosk.window.overlay.buttons["contrast_high"].property("chosen") == "true"
    assert kiosk.window.overlay.buttons["contrast_standard"].property("chosen") == "false"
    kiosk.tap("overlay_close")
    assert kiosk.controller.display.contrast == "high"
    sheet = kiosk.window.styleSheet()
    assert "background: #0b0c0c" in sheet and "color: #ffffff" in sheet
    assert kiosk.controller.shell.time_factor() == 2.0  # more time with large text
    assert kiosk.controller.display.chosen() == ["large_text", "high_contrast"]
    kiosk.tap("accessibility")
    kiosk.tap("overlay_size_largest")
    kiosk.tap("overlay_close")
    assert heading_px(kiosk) == 88  # 44 px at 200%
    kiosk.tap("start_again")
    kiosk.tap("overlay_confirm")
    kiosk.wait_page("attract_page")
    assert (kiosk.controller.display.text_size, kiosk.controller.display.contrast) == ("standard", "standard")
    assert kiosk.controller.shell.time_factor() == 1.0


def test_every_theme_meets_its_contrast_promise() -> None:
    for theme in all_themes():
        for what, fg, bg in text_pairs(theme.palette):
            assert contrast(fg, bg) >= theme.min_text_contrast, f"{theme.name} {what}: {contrast(fg, bg):.2f}:1"
        for what, fg, bg in ui_pairs(theme.palette):
            assert contrast(fg, bg) >= 3.0, f"{theme.name} {what}"
        assert (theme.min_text_contrast == 7.0) == theme.name.endswith("-high")


def test_a_keyboard_board_hidden_during_a_contrast_switch_comes_back_in_the_new_colours(kiosk: Kiosk) -> None:
    """Boards not showing are not restyled with the window (they step out of it); shown again,
    their keys are drawn in the colours chosen meanwhile, and type."""
    kiosk.start("missed-bin")
    kiosk.wait_heading("What is the address of the missed bin?")
    keyboard = kiosk.window.keyboard
    kiosk.type("input_address_postcode", "")  # the postcode board
    postcode_key = keyboard.keys["1"]
    kiosk.tap("manual_address")
    kiosk.type("input_address_manual_line1", "1 High Street")  # the text board; the postcode's hidden
    assert keyboard.keys["1"] is not postcode_key and not postcode_key.isVisible()
    kiosk.tap("accessibility")
    kiosk.tap("overlay_contrast_high")
    kiosk.tap("overlay_close")
    assert not kiosk.window.isAncestorOf(postcode_key)  # not restyled while no one sees it
    box = kiosk.widget(QLineEdit, "input_address_manual_postcode")
    kiosk.click_at(box)
    kiosk.qtbot.waitUntil(lambda: keyboard.keys.get("1") is postcode_key and postcode_key.isVisible(), timeout=3000)
    picture = postcode_key.grab().toImage()
    assert picture.pixelColor(6, picture.height() // 2).name() == "#0b0c0c"  # high contrast's background
    assert keyboard.keys["space"].isVisible()
    keyboard.type_text("TS18 1AU")
    assert box.text() == "TS18 1AU"
