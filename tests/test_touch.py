"""Touch behaviour: no selecting text by dragging, whole-row targets, branding contrast."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit, QRadioButton, QWidget

from accessibility.display import branded_palette
from accessibility.themes import STANDARD
from kiosk.config import Branding
from tests.resident import Kiosk


def test_dragging_across_a_text_box_selects_nothing(kiosk: Kiosk) -> None:
    kiosk.start("council-tax-move")
    kiosk.wait_heading("What is your full name?")
    kiosk.type("input_name", "Alex Resident")
    edit = kiosk.widget(QLineEdit, "input_name")
    y = edit.height() // 2
    kiosk.qtbot.mousePress(edit, Qt.MouseButton.LeftButton, pos=QPoint(5, y))
    kiosk.qtbot.mouseMove(edit, QPoint(edit.width() - 5, y))
    kiosk.qtbot.mouseRelease(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 5, y))
    assert edit.selectedText() == ""
    kiosk.qtbot.mouseDClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(20, y))
    assert edit.selectedText() == ""
    assert edit.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_tapping_anywhere_on_an_option_row_chooses_it(kiosk: Kiosk) -> None:
    kiosk.start("missed-bin")
    kiosk.typed_address("address")
    kiosk.wait_heading("Which bin was missed?")
    radio = kiosk.widget(QRadioButton, "option_bin_type_garden")
    # Far right of the row, well away from the circle and the words.
    kiosk.qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(radio.width() - 10, radio.height() // 2))
    assert radio.isChecked()


def test_council_colour_is_used_only_when_readable() -> None:
    assert branded_palette(Branding(header_colour="#1d70b8")).header == "#1d70b8"
    assert branded_palette(Branding(header_colour="#ffdd00")).header == STANDARD.palette.header


def test_error_summary_link_moves_focus_to_the_field(kiosk: Kiosk) -> None:
    kiosk.start("council-tax-move")
    kiosk.wait_heading("What is your full name?")
    kiosk.cont()
    kiosk.wait_heading("What is your full name?")
    kiosk.qtbot.waitUntil(lambda: kiosk.errors() == ["Enter your full name"])
    summary = kiosk.page.findChild(QWidget, "error_summary")
    assert summary is not None and summary.hasFocus()  # announced first
    kiosk.tap("error_link_0")
    edit = kiosk.widget(QLineEdit, "input_name")
    kiosk.qtbot.waitUntil(edit.hasFocus, timeout=2000)
    assert kiosk.label_text("field_error") == "Error: Enter your full name"
