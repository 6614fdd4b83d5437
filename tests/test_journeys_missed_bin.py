"""Report a missed bin, through the real widgets, to a real hub on loopback."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPushButton

from tests.resident import Kiosk


def test_missed_bin_reaches_the_hub_with_the_answers(kiosk: Kiosk) -> None:
    kiosk.start("missed-bin")
    kiosk.wait_heading("What is the address of the missed bin?")
    kiosk.find_address("address", "ts181au", index=1)
    kiosk.wait_heading("Which bin was missed?")
    kiosk.choose("bin_type", "recycling")
    kiosk.wait_heading("When was your bin due to be collected?")
    kiosk.date("when", "2", "11", "2026")
    kiosk.cont()
    kiosk.wait_heading("Where did you leave the bin?")
    kiosk.choose("where_left", "kerbside")
    kiosk.wait_heading("Is there anything else the crew should know? (optional)")
    kiosk.type("input_details", "Out by 7am")
    kiosk.cont()
    kiosk.wait_heading("What is your email address? (optional)")
    kiosk.cont()
    kiosk.wait_page("check_answers")
    assert "Not provided" in kiosk.texts()
    kiosk.tap("continue")
    kiosk.wait_page("confirmation")
    reference = kiosk.label_text("reference")
    assert kiosk.hub is not None
    kiosk.qtbot.waitUntil(lambda: kiosk.hub.case(reference) is not None, timeout=5000)
    case = kiosk.hub.case(reference)
    answers = kiosk.hub.answers(case)
    assert answers["bin_type"] == "recycling"
    assert answers["address"]["line1"] == "3 High Street"
    assert answers["when"] == "2026-11-02"
    assert answers["details"] == "Out by 7am"
    assert answers["email"] is None
    assert case.channel == "self-service"


def test_a_missed_bin_takes_ten_touches_and_the_postcode(kiosk: Kiosk) -> None:
    """From the attract screen to the reference: every answer that can act on one tap does."""
    kiosk.controller.end_session()
    kiosk.taps = 0
    kiosk.tap("attract_start")
    kiosk.wait_page("home_page")
    kiosk.tap("tile_missed-bin")
    kiosk.wait_heading("What is the address of the missed bin?")
    # The postcode box has focus and its keyboard is open: no tap to start typing.
    box = kiosk.widget(QLineEdit, "input_address_postcode")
    kiosk.qtbot.waitUntil(lambda: box.hasFocus() and kiosk.window.keyboard.isVisible(), timeout=3000)
    kiosk.window.keyboard.type_text("TS181AU")
    kiosk.tap("find_address")
    kiosk.qtbot.waitUntil(lambda: any(b.isVisible() for b in kiosk.page.findChildren(QPushButton, "address_address_0")),
                          timeout=5000)
    kiosk.tap("address_address_0")
    kiosk.wait_heading("Which bin was missed?")
    kiosk.tap("option_bin_type_general")
    kiosk.wait_heading("When was your bin due to be collected?")
    kiosk.tap("date_when_today")
    kiosk.wait_heading("Where did you leave the bin?")
    kiosk.tap("option_where_left_kerbside")
    kiosk.wait_heading("Is there anything else the crew should know? (optional)")
    kiosk.cont()
    kiosk.wait_heading("What is your email address? (optional)")
    kiosk.cont()
    kiosk.wait_page("check_answers")
    kiosk.cont()
    kiosk.wait_page("confirmation")
    assert kiosk.taps == 10
    assert kiosk.label_text("reference")
