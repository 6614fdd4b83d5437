"""Touch behaviour: no selecting text by dragging, whole-row targets, branding contrast."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QWidget

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


def test_tapping_anywhere_on_an_answer_row_chooses_it(kiosk: Kiosk) -> None:
    kiosk.start("fly-tipping")
    kiosk.typed_address("where")
    kiosk.type("input_location_detail", "Behind the garages")
    kiosk.cont()
    kiosk.wait_heading("What has been dumped?")
    box = kiosk.widget(QCheckBox, "option_what_bags")
    # Far right of the row, well away from the box and the words.
    kiosk.click_at(box, QPoint(box.width() - 10, box.height() // 2))
    assert box.isChecked()
    kiosk.cont()
    kiosk.wait_heading("How much is there?")
    # One answer: the row is a button that chooses and goes on, wherever it is tapped.
    answer = kiosk.widget(QPushButton, "option_size_van")
    kiosk.click_at(answer, QPoint(answer.width() - 10, answer.height() // 2))
    kiosk.wait_heading("Do you want to give your contact details?")
    kiosk.tap("back")
    kiosk.wait_heading("How much is there?")
    # Coming back, the answer given is marked, and said to be the answer so far.
    chosen = kiosk.widget(QPushButton, "option_size_van")
    assert chosen.property("chosen") and chosen.accessibleDescription().startswith("Your answer so far.")
    assert not kiosk.widget(QPushButton, "option_size_car_boot").property("chosen")
    assert not kiosk.window.action_slot.findChildren(QPushButton, "continue")


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
    assert kiosk.label_text("field_error") == "Enter your full name"  # "Error:" is heard, not shown (GOV.UK)
    assert kiosk.widget(QLabel, "field_error").accessibleName() == "Error: Enter your full name"
