"""Every shipped journey completed through the real widgets against a real hub on loopback."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton

from tests.resident import Kiosk


def submit_and_get_case(kiosk: Kiosk, journey_id: str):  # type: ignore[no-untyped-def]
    kiosk.wait_page("check_answers")
    kiosk.tap("continue")
    kiosk.wait_page("confirmation")
    reference = kiosk.label_text("reference")
    assert kiosk.hub is not None
    kiosk.qtbot.waitUntil(lambda: kiosk.hub.case(reference) is not None, timeout=5000)
    # The worker tells the resident the truth once the hub has it.
    kiosk.qtbot.waitUntil(lambda: kiosk.label_text("send_status").startswith("Sent"), timeout=5000)
    case = kiosk.hub.case(reference)
    assert case is not None and case.journey_id == journey_id
    assert kiosk.services.outbox.depth() == 0
    return case, kiosk.hub.answers(case)


def test_fly_tipping_anonymous_with_hazard_warning_typed_on_screen_keyboard(kiosk: Kiosk) -> None:
    kiosk.start("fly-tipping")
    kiosk.wait_heading("What is the nearest address to the fly-tipping?")
    kiosk.tap("manual_where")
    kiosk.type("input_where_manual_line1", "Back lane behind Church Road")
    kiosk.type("input_where_manual_town", "Stockton-on-Tees")
    kiosk.type("input_where_manual_postcode", "ts18 1tx")
    kiosk.cont()
    kiosk.wait_heading("Describe exactly where it is")
    # Type by touch on the on-screen keyboard, as a resident without a keyboard would.
    edit = kiosk.widget(QLineEdit, "input_location_detail")
    kiosk.click_at(edit)
    kiosk.qtbot.waitUntil(kiosk.window.keyboard.isVisible, timeout=2000)
    kiosk.window.keyboard.type_text("By the Garages")
    assert edit.text() == "By the Garages"
    kiosk.window.keyboard.press("enter")
    kiosk.wait_heading("What has been dumped?")
    kiosk.choose("what", "furniture")
    kiosk.choose("what", "hazardous")
    kiosk.cont()
    kiosk.wait_heading("Do not touch or move it")
    kiosk.cont()
    kiosk.wait_heading("How much is there?")
    kiosk.choose("size", "van")
    kiosk.wait_heading("Do you want to give your contact details?")
    kiosk.choose("anonymous", "no")
    _case, answers = submit_and_get_case(kiosk, "fly-tipping")
    assert answers["where"] == {"uprn": "", "line1": "Back lane behind Church Road", "line2": "",
                                "town": "Stockton-on-Tees", "postcode": "TS18 1TX", "manual": True}
    assert answers["location_detail"] == "By the Garages"
    assert answers["what"] == ["furniture", "hazardous"]
    assert answers["size"] == "van"
    assert answers["anonymous"] == "no"
    assert "name" not in answers and "phone" not in answers


def test_bulky_waste_offers_slots_from_the_hub_and_branches_on_payment(kiosk: Kiosk) -> None:
    kiosk.start("bulky-waste")
    kiosk.wait_heading("What is the collection address?")
    kiosk.find_address("address", "TS20 1AA", index=2)
    kiosk.wait_heading("What do you want us to collect?")
    kiosk.choose("items", "sofa")
    kiosk.choose("items", "fridge")
    kiosk.cont()
    kiosk.wait_heading("How many items are there altogether?")
    kiosk.type("input_item_count", "9")
    kiosk.cont()
    kiosk.qtbot.waitUntil(lambda: kiosk.errors() == ["The number of items must be between 1 and 5"])
    kiosk.type("input_item_count", "1")  # two kinds of item chosen: one item cannot be right
    kiosk.cont()
    kiosk.qtbot.waitUntil(lambda: kiosk.errors() == ["The number of items must be 2 or more"])
    kiosk.type("input_item_count", "2")
    kiosk.cont()
    kiosk.wait_heading("Which day should we collect?")
    slots = [b for b in kiosk.page.findChildren(QPushButton) if b.objectName().startswith("option_slot_")]
    assert len(slots) == 6
    assert all(s.accessibleName().split()[0] in ("Tuesday", "Thursday") for s in slots)
    chosen_value = slots[1].objectName().removeprefix("option_slot_")
    kiosk.tap(slots[1].objectName())
    kiosk.wait_heading("How do you want to pay the £25?")
    kiosk.choose("payment", "online")
    kiosk.wait_heading("What email address should we send the payment link to?")
    kiosk.type("input_email", "not an email")
    kiosk.cont()
    kiosk.qtbot.waitUntil(lambda: kiosk.errors() == ["Enter an email address in the correct format, like name@example.com"])
    kiosk.type("input_email", "resident@example.com")
    kiosk.cont()
    kiosk.wait_heading("What phone number can the crew call on the day?")
    kiosk.type("input_phone", "07700 900 982")
    kiosk.cont()
    _case, answers = submit_and_get_case(kiosk, "bulky-waste")
    assert answers["address"]["line1"] == "16 Acacia Avenue"
    assert answers["items"] == ["sofa", "fridge"]
    assert answers["item_count"] == 2
    assert answers["slot"] == chosen_value
    assert dt.date.fromisoformat(chosen_value) > dt.date.today()
    assert answers["email"] == "resident@example.com"
    assert answers["phone"] == "07700900982"


def test_council_tax_move_with_change_link_returning_to_check_answers(kiosk: Kiosk) -> None:
    kiosk.start("council-tax-move")
    kiosk.wait_heading("What is your full name?")
    kiosk.type("input_name", "Alex Resident")
    kiosk.cont()
    kiosk.wait_heading("What address are you moving out of?")
    kiosk.find_address("old_address", "TS17 6BH", index=0)
    kiosk.wait_heading("When are you moving out?")
    kiosk.date("move_out", "1", "12", "2026")
    kiosk.cont()
    kiosk.wait_heading("Are you moving to another address in the borough?")
    kiosk.choose("within_borough", "no")
    kiosk.wait_heading("What is your forwarding address?")
    kiosk.type("input_forwarding", "22 Elm Road\nLeeds LS1 1AA")
    kiosk.cont()
    kiosk.wait_heading("What is your phone number? (optional)")
    kiosk.cont()
    kiosk.wait_heading("What is your email address? (optional)")
    kiosk.cont()
    kiosk.wait_page("check_answers")
    # Change of mind: staying in the borough. The new branch asks for the new address,
    # then goes back to check answers; the forwarding address is no longer sent.
    kiosk.tap("change_within_borough")
    kiosk.wait_heading("Are you moving to another address in the borough?")
    kiosk.choose("within_borough", "yes")
    kiosk.wait_heading("What is your new address?")
    kiosk.find_address("new_address", "TS18 1TX", index=1)
    kiosk.wait_page("check_answers")
    kiosk.tap("change_name")
    kiosk.wait_heading("What is your full name?")
    assert kiosk.widget(QLineEdit, "input_name").text() == "Alex Resident"
    kiosk.type("input_name", "Alex J Resident")
    kiosk.cont()
    _case, answers = submit_and_get_case(kiosk, "council-tax-move")
    assert answers["name"] == "Alex J Resident"
    assert answers["old_address"]["line1"] == "7 Harbour Walk"
    assert answers["move_out"] == "2026-12-01"
    assert answers["within_borough"] == "yes"
    assert answers["new_address"]["line1"] == "4 Church Road"
    assert "forwarding" not in answers
    assert answers["phone"] is None and answers["email"] is None


def test_single_person_discount_not_eligible_ends_without_submitting(kiosk: Kiosk) -> None:
    before = len(kiosk.hub.cases())  # type: ignore[union-attr]
    kiosk.start("single-person-discount")
    kiosk.wait_heading("Are you the only adult living at your home?")
    kiosk.choose("live_alone", "no")
    kiosk.wait_heading("You cannot get a single person discount")
    kiosk.tap("continue")  # "Back to the start"
    kiosk.wait_page("attract_page")
    assert len(kiosk.hub.cases()) == before  # type: ignore[union-attr]


def test_single_person_discount_application(kiosk: Kiosk) -> None:
    kiosk.start("single-person-discount")
    kiosk.wait_heading("Are you the only adult living at your home?")
    kiosk.choose("live_alone", "yes")
    kiosk.wait_heading("What is your full name?")
    kiosk.type("input_name", "Sam Single")
    kiosk.cont()
    kiosk.wait_heading("What is your Council Tax account number? (optional)")
    kiosk.type("input_account", "12345678")
    kiosk.cont()
    kiosk.wait_heading("What is your address?")
    kiosk.find_address("address", "TS15 9AB", index=0)
    kiosk.wait_heading("Since when have you lived alone?")
    kiosk.date("since", "3", "9", "2026")
    kiosk.cont()
    kiosk.wait_heading("What is your email address? (optional)")
    kiosk.type("input_email", "sam@example.org")
    kiosk.cont()
    _case, answers = submit_and_get_case(kiosk, "single-person-discount")
    assert answers == {
        "live_alone": "yes", "name": "Sam Single", "account": "12345678",
        "address": {"uprn": "900000000041", "line1": "The Old Forge", "line2": "Station Lane", "town": "Yarm",
                    "postcode": "TS15 9AB", "manual": False},
        "since": "2026-09-03", "email": "sam@example.org",
    }


def test_online_account_registration_with_back_keeping_answers(kiosk: Kiosk) -> None:
    kiosk.start("online-account")
    kiosk.wait_heading("Your online account")
    kiosk.cont()
    kiosk.wait_heading("What is your full name?")
    kiosk.type("input_name", "Pat Online")
    kiosk.cont()
    kiosk.wait_heading("What is your date of birth?")
    kiosk.date("dob", "27", "3", "1961")
    kiosk.cont()
    kiosk.wait_heading("What is your address?")
    kiosk.tap("back")
    kiosk.wait_heading("What is your date of birth?")
    assert kiosk.widget(QLineEdit, "input_dob_year").text() == "1961"
    kiosk.cont()
    kiosk.wait_heading("What is your address?")
    kiosk.find_address("address", "TS18 1AU", index=4)
    kiosk.wait_heading("What is your email address?")
    kiosk.type("input_email", "pat@example.com")
    kiosk.cont()
    kiosk.wait_heading("What is your mobile number? (optional)")
    kiosk.type("input_phone", "+44 7700 900123")
    kiosk.cont()
    kiosk.wait_heading("Do you want emails about changes to your bin collections?")
    kiosk.choose("updates", "yes")
    _case, answers = submit_and_get_case(kiosk, "online-account")
    assert answers["dob"] == "1961-03-27"
    assert answers["address"]["line1"] == "10 High Street"
    assert answers["phone"] == "07700900123"
    assert answers["updates"] == "yes"


def test_check_bin_days_looks_up_the_address_round(kiosk: Kiosk) -> None:
    kiosk.start("bin-days")
    kiosk.wait_heading("What is your address?")
    kiosk.find_address("address", "TS20 1AA", index=0)
    kiosk.wait_page("result")
    texts = kiosk.texts()
    assert "12 Acacia Avenue, Norton, Stockton-on-Tees, TS20 1AA" in texts
    assert "Collected every Wednesday" in texts
    assert "Collected every Monday" in texts
    assert any(t.startswith("Next collection: Wednesday ") for t in texts)
    kiosk.tap("finish")
    kiosk.wait_page("why")
    kiosk.tap("action_skip")
    kiosk.wait_page("attract_page")


def test_find_free_wifi_lists_places_from_config(kiosk: Kiosk) -> None:
    kiosk.start("free-wifi")
    kiosk.wait_heading("What do you need?")
    kiosk.choose("need", "computer")
    kiosk.wait_page("result")
    texts = kiosk.texts()
    assert "Central Library" in texts and "Thornaby Library" in texts
    assert "Norton Community Centre" not in texts  # WiFi only, no computers
    assert "Monday to Friday: 9am to 7pm" in texts


def test_track_a_request_by_reference(kiosk: Kiosk) -> None:
    # Something to track: a missed bin report sent a moment ago.
    kiosk.start("missed-bin")
    kiosk.find_address("address", "TS18 1AU")
    kiosk.choose("bin_type", "general")
    kiosk.date("when", "1", "11", "2026")
    kiosk.cont()
    kiosk.choose("where_left", "back_lane")
    kiosk.cont()
    kiosk.cont()
    case, _ = submit_and_get_case(kiosk, "missed-bin")
    kiosk.start("track-request")
    kiosk.wait_heading("What is your reference?")
    kiosk.type("input_reference", "ABCD")
    kiosk.cont()
    kiosk.qtbot.waitUntil(lambda: kiosk.errors() == ["Reference must be 12 letters and numbers, like KQ4M-7XTB-3HNP"])
    kiosk.type("input_reference", case.reference.replace("-", " ").lower())
    kiosk.cont()
    kiosk.wait_page("result")
    texts = kiosk.texts()
    assert "Report a missed bin" in texts
    assert f"Reference {case.reference}" in texts
    assert any(t.startswith("Received.") for t in texts)
    kiosk.tap("back")
    kiosk.wait_heading("What is your reference?")
    kiosk.type("input_reference", "ZZZZ-ZZZZ-ZZZZ")
    kiosk.cont()
    kiosk.wait_heading("We cannot find that")


def test_places_are_listed_in_the_residents_language(kiosk: Kiosk) -> None:
    """In Arabic the hours and notes are Arabic (from the site's places file), names stay as they are."""
    kiosk.controller.end_session()
    kiosk.controller.set_language("ar")
    kiosk.tap("attract_start")
    kiosk.wait_page("home_page")
    kiosk.tap("tile_free-wifi")
    kiosk.choose("need", "computer")
    kiosk.wait_page("result")
    texts = kiosk.texts()
    assert "Central Library" in texts
    assert "من الاثنين إلى الجمعة: 9 صباحًا إلى 7 مساءً" in texts
    assert "Monday to Friday: 9am to 7pm" not in texts
    assert kiosk.window.layoutDirection() == Qt.LayoutDirection.RightToLeft
