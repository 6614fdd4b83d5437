"""Library ICT taster sessions, end to end: staff open a session at the terminal with a code from
the hub's library page, a learner works through a lesson with the real widgets (wrong tries and
their hints included), the hub sees the counts, the certificate page works, warnings come at 10,
5 and 1 minutes, the end wipes everything, and a session booked at the hub opens itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit
from sqlalchemy import select

from hub.db import AuditEntry, TasterBooking, TasterRun
from hub.staff import create_staff
from kiosk.workflows.taster import TasterPlan
from tests.hubserver import HubServer, sign_in, start_hub
from tests.resident import Kiosk, make_kiosk
from tests.test_assist import enter_on_pad
from tests.test_screens_render import shoot

LIBRARIAN = ("lee", "library-password-1")


@pytest.fixture
def library_hub(tmp_path: Path) -> Iterator[HubServer]:
    server = start_hub(tmp_path / "hub")
    with server.state.sessions() as session:
        create_staff(session, LIBRARIAN[0], "Lee Librarian", "library", LIBRARIAN[1], site="test-site", pin="593127")
    yield server
    server.stop()


@pytest.fixture
def librarian(library_hub: HubServer) -> Iterator[httpx.Client]:
    client = sign_in(library_hub, LIBRARIAN)
    yield client
    client.close()


@pytest.fixture
def k(qtbot, qasync_loop, library_hub: HubServer, tmp_path: Path) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, library_hub, tmp_path / "kiosk")
    yield kiosk
    kiosk.close()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def terminal_code(client: httpx.Client, kiosk_id: str = "test-kiosk") -> str:
    page = client.get("/staff/library")
    assert page.status_code == 200, page.text
    r = client.post(f"/staff/library/kiosks/{kiosk_id}/code", data={"csrf": csrf_of(page.text)})
    assert r.status_code == 200, r.text
    code = re.search(r'<strong id="code"[^>]*>(\d{3} \d{3})</strong>', r.text)
    assert code is not None
    return code.group(1).replace(" ", "")


def run_row(hub: HubServer) -> TasterRun:
    with hub.state.sessions() as session:
        row = session.scalar(select(TasterRun))
        assert row is not None
        return row


def wait_report(k: Kiosk, hub: HubServer, check) -> None:  # type: ignore[no-untyped-def]
    k.services.worker.wake()

    def seen() -> bool:
        with hub.state.sessions() as session:
            row = session.scalar(select(TasterRun))
            return row is not None and bool(check(row))

    k.qtbot.waitUntil(seen, timeout=10000)


def banner_left(k: Kiosk) -> str:
    return str(k.window.taster_banner.left.text())


def test_staff_open_a_session_and_a_learner_completes_a_lesson(k: Kiosk, library_hub: HubServer,
                                                               librarian: httpx.Client, tmp_path: Path) -> None:
    k.tap("attract_start")  # staff reach the Staff button from the home screen
    k.wait_page("home_page")
    enter_on_pad(k, terminal_code(librarian))
    k.qtbot.waitUntil(lambda: k.window.overlay is not None and k.label_text("overlay_heading")
                      == "Staff: Lee Librarian", timeout=5000)
    k.tap("overlay_taster")
    k.wait_page("taster_setup")
    shoot(k, "taster-setup", tmp_path)
    # Bad input: a clear message, and nothing opens.
    k.type("input_minutes", "200")
    k.tap("open_session")
    k.wait_page("taster_setup")
    assert k.errors() == ["A session lasts between 15 and 120 minutes"]
    assert not k.controller.taster.active
    for box in ("staying-safe", "council-online", "wifi-computers"):
        k.tap(f"lesson_{box}")
    k.type("input_minutes", "30")
    k.type("input_group", "Tuesday beginners")
    k.tap("open_session")
    k.wait_page("lesson_list")
    assert k.window.taster_banner.isVisible()
    assert k.label_text("taster_title") == "ICT taster session: Tuesday beginners"
    assert banner_left(k) == "30 minutes left"
    assert not k.window.start_again_button.isVisible()
    shoot(k, "taster-lessons", tmp_path)
    assert list(k.page.tiles) == ["touchscreen", "keyboard"]

    k.tap("lesson_tile_touchscreen")
    k.wait_heading("What is a touchscreen?")
    assert k.label_text("caption") == "Using a touchscreen: step 1 of 4"
    k.tap("lesson_next")
    # Tap practice: a miss first, then its hint, then the button.
    k.wait_heading("Tap a button")
    assert not k.widget(QAbstractButton, "lesson_next").isVisible()
    area = k.page.findChild(QLabel, "practice_prompt")
    assert area is not None and area.text() == "Tap the big button that says Tap me."
    practice = k.page.findChild(type(k.page.findChild(QLabel, "hint_text").parent()), "practice_area")
    k.click_at(practice, QPoint(8, 8))
    assert k.label_text("feedback") == "Not quite. Try again."
    assert k.label_text("hint_text") == "Nearly. Tap inside the big button that says Tap me, not around it."
    shoot(k, "taster-hint", tmp_path)
    k.tap("tap_target")
    assert k.label_text("feedback") == "Well done. That was a tap."
    assert not k.page.findChild(QLabel, "hint_text").isVisible()
    k.tap("lesson_next")
    # Scroll practice: the wrong place, then the Library, found further down the list.
    k.wait_heading("Drag to see more")
    k.tap("item_0")
    assert k.label_text("feedback") == "That is the Town Hall."
    assert k.label_text("hint_text").startswith("That is not the Library.")
    k.tap("item_9")
    assert k.label_text("feedback") == "Well done. You found the Library."
    k.tap("lesson_next")
    # Choice practice: two wrong tries bring the second hint.
    k.wait_heading("Going back")
    k.tap("option_1")
    k.tap("option_2")
    assert k.label_text("hint_text") == "The Back button has an arrow pointing left: ‹ Back."
    assert k.label_text("feedback") == "Get help calls a member of staff. It does not go back."
    k.tap("option_0")
    k.tap("lesson_next")
    k.wait_page("lesson_done")
    assert k.heading() == "Lesson complete"
    shoot(k, "taster-lesson-done", tmp_path)
    wait_report(k, library_hub, lambda row: row.completed == "touchscreen")
    row = run_row(library_hub)
    assert (row.group_name, row.lessons, row.started, row.kiosk_id) == (
        "Tuesday beginners", "touchscreen keyboard", "touchscreen", "test-kiosk")

    # The library page: the terminal's session, time left, and the counts (no names).
    page = librarian.get("/staff/library").text
    assert "Tuesday beginners" in page and "1 of 2 lessons completed" in page
    assert re.search(r'left">(29|30) minutes left<', page)
    counts = librarian.get("/staff/library/counts.csv").text.splitlines()
    assert "test-site,Using a touchscreen,1,1,1" in counts
    assert "test-site,Using the on-screen keyboard,1,0,0" in counts

    # The certificate: an optional first name, checked, then a QR code to a hub page.
    k.tap("done_certificate")
    k.wait_page("certificate")
    k.type("input_first_name", "Sam 2")
    k.tap("make_certificate")
    k.wait_page("certificate")
    assert k.label_text("name_error") == "Your first name must only include letters, spaces, hyphens and apostrophes"  # "Error:" is heard, not shown (GOV.UK)
    assert k.widget(QLabel, "name_error").accessibleName() == "Error: Your first name must only include letters, spaces, hyphens and apostrophes"
    k.type("input_first_name", "Samira")
    k.tap("make_certificate")
    k.qtbot.waitUntil(lambda: k.page.findChild(QLabel, "cert_url") is not None, timeout=5000)
    shoot(k, "taster-certificate", tmp_path)
    url = k.label_text("cert_url")
    cert = httpx.get(url)
    assert cert.status_code == 200
    assert "Samira took part in an ICT taster session" in cert.text
    # The name is encrypted at the hub like residents' answers (security review L7).
    stored = library_hub.stored_bytes()  # SQLite's files with -wal, or PostgreSQL's dump
    assert stored and b"Samira" not in stored
    lessons = re.search(r'<ul [^>]*id="lessons"[^>]*>(.*?)</ul>', cert.text, re.S)
    assert lessons is not None and re.findall(r"<li>(.*?)</li>", lessons.group(1)) == ["Using a touchscreen"]
    assert "Try the tablets and touchscreen computers in the library" in cert.text

    # Staff come back to the terminal: more time, then end it there.
    enter_on_pad(k, terminal_code(librarian))
    k.qtbot.waitUntil(lambda: k.window.overlay is not None and k.label_text("overlay_heading")
                      == "Staff: this taster session", timeout=5000)
    k.tap("overlay_extend")
    assert banner_left(k) in ("45 minutes left", "44 minutes left")
    enter_on_pad(k, terminal_code(librarian))
    k.qtbot.waitUntil(lambda: k.window.overlay is not None and "end" in getattr(k.window.overlay,
                                                                                         "buttons", {}), timeout=5000)
    k.tap("overlay_end")
    k.wait_page("attract_page")
    assert not k.controller.taster.active and not k.window.taster_banner.isVisible()
    wait_report(k, library_hub, lambda row: row.ended_at is not None)
    k.services.worker.wake()
    with library_hub.state.sessions() as session:
        k.qtbot.waitUntil(lambda: len(session.scalars(select(AuditEntry)).all()) >= 5, timeout=10000)
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.at)).all()]
    assert {"opened_taster", "extended_taster", "ended_taster"} <= set(actions)


def test_warnings_at_ten_five_and_one_minutes_then_the_end_wipes(k: Kiosk, library_hub: HubServer,
                                                                 json_log) -> None:  # type: ignore[no-untyped-def]
    from tests.test_idle_and_wipe import CANARIES, leftovers

    now = [1000.0]
    taster = k.controller.taster
    taster.clock = lambda: now[0]
    taster.start(TasterPlan(("keyboard",), 15, "Canary group"), staff=(1, "Lee Librarian"))
    k.wait_page("lesson_list")
    k.tap("lesson_tile_keyboard")
    k.tap("lesson_next")
    k.wait_heading("Type your first name")
    k.type("practice_input", "Zqxv9")
    k.tap("check_typing")
    assert k.label_text("feedback") == "That is not quite right yet."
    assert k.label_text("hint_text").startswith("Type your first name using the letters.")
    k.type("practice_input", CANARIES[0])
    k.tap("check_typing")
    assert k.label_text("feedback") == "Well done. That is right."
    assert k.page.findChild(QLineEdit, "practice_input").text() == CANARIES[0]
    assert banner_left(k) == "15 minutes left"
    for minutes, left in ((10, 10 * 60), (5, 5 * 60), (1, 60)):
        now[0] = 1000.0 + 15 * 60 - left
        k.qtbot.waitUntil(lambda m=minutes: k.window.overlay is not None
                          and k.window.overlay.objectName() == f"taster_warning_{m}", timeout=3000)
        unit = "minute" if minutes == 1 else "minutes"
        assert k.label_text("overlay_heading") == f"{minutes} {unit} left"
        assert k.label_text("overlay_text_0").startswith(f"This taster session ends in {minutes} {unit}.")
        assert banner_left(k) == f"{minutes} {unit} left"
        k.tap("overlay_carry_on")
    assert k.page_name() == "lesson_step_name"  # the learner's place was kept through the warnings
    now[0] = 1000.0 + 15 * 60 + 1
    k.wait_page("attract_page", timeout=3000)
    assert not taster.active and taster.running is None
    dirs = [k.settings.state_dir]
    try:
        k.qtbot.waitUntil(lambda: not leftovers(k, dirs), timeout=3000)
    except Exception:
        pytest.fail("left after the taster ended:\n" + "\n".join(leftovers(k, dirs)))
    wait_report(k, library_hub, lambda row: row.ended_at is not None)
    assert CANARIES[0].lower() not in json_log.getvalue().lower()


def test_a_booked_session_opens_itself_and_staff_manage_it_from_the_hub(
        k: Kiosk, library_hub: HubServer, librarian: httpx.Client) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    page = librarian.get("/staff/library")
    local = dt.datetime.now(ZoneInfo("Europe/London"))
    form = {"csrf": csrf_of(page.text), "kiosks": ["test-kiosk"], "day-day": str(local.day),
            "day-month": str(local.month), "day-year": str(local.year), "time": f"{local:%H:%M}", "minutes": "999",
            "lessons": ["keyboard", "staying-safe"], "group": "Booked"}
    r = librarian.post("/staff/library/bookings", data=form)
    assert r.status_code == 422 and "A session lasts between 15 and 120 minutes" in r.text
    # What was typed is kept, and each problem is named beside its box (the 24-hour clock too).
    r = librarian.post("/staff/library/bookings", data={**form, "time": "10:00 AM", "day-month": "13"})
    assert r.status_code == 422
    assert "Enter the start time on the 24-hour clock, like 14:30" in r.text and "must be a real date" in r.text
    assert 'value="Booked"' in r.text and 'value="10:00 AM"' in r.text and 'href="#time"' in r.text
    # What the page shows never comes from its address (security review L9).
    forged = librarian.get("/staff/library", params={"error": "Call 0800 SCAM", "code": "123 456",
                                                      "kiosk": "test-kiosk"})
    assert forged.status_code == 200 and "0800 SCAM" not in forged.text and "123 456" not in forged.text
    r = librarian.post("/staff/library/bookings", data={**form, "minutes": "30"})
    assert r.status_code == 303 and r.headers["location"] == "/staff/library"
    with library_hub.state.sessions() as session:
        booking = session.scalar(select(TasterBooking))
        assert booking is not None and booking.kiosks == "test-kiosk"

    # A resident is not interrupted, mid-task or only looking at the home screen: the booking
    # waits until the terminal is back on its attract screen.
    k.start("missed-bin")
    k.controller.taster.poll()
    k.qtbot.wait_until(lambda: not k.controller.tasks.busy, timeout=5000)
    assert not k.controller.taster.active
    k.controller.end_session("finish")
    k.tap("attract_start")
    k.wait_page("home_page")
    k.controller.taster.poll()
    k.qtbot.wait_until(lambda: not k.controller.tasks.busy, timeout=5000)
    assert not k.controller.taster.active and k.page_name() == "home_page"
    k.controller.end_session("finish")
    k.controller.taster.poll()
    k.wait_page("lesson_list")
    assert k.label_text("taster_title") == "ICT taster session: Booked"
    assert banner_left(k) in ("30 minutes left", "29 minutes left")
    assert list(k.page.tiles) == ["keyboard", "staying-safe"]
    wait_report(k, library_hub, lambda row: row.booking_id == booking.id)
    run = run_row(library_hub)

    # Staff at the hub add time, then end it.
    page = librarian.get("/staff/library")
    assert librarian.post(f"/staff/library/runs/{run.id}/extend",
                          data={"csrf": csrf_of(page.text), "minutes": "15"}).status_code == 303
    assert re.search(r'left">(44|45) minutes left<', librarian.get("/staff/library").text)
    k.controller.taster.poll()
    k.qtbot.waitUntil(lambda: banner_left(k) in ("45 minutes left", "44 minutes left"), timeout=5000)
    # Once the terminal has applied the minutes and reported, the hub does not count them twice.
    wait_report(k, library_hub, lambda row: row.hub_extra_applied == 15)
    assert re.search(r'left">(44|45) minutes left<', librarian.get("/staff/library").text)
    k.controller.taster.poll()  # asking again adds nothing more
    k.qtbot.wait_until(lambda: not k.controller.tasks.busy, timeout=5000)
    assert banner_left(k) in ("45 minutes left", "44 minutes left")
    assert librarian.post(f"/staff/library/runs/{run.id}/end", data={"csrf": csrf_of(page.text)}).status_code == 303
    k.controller.taster.poll()
    k.wait_page("attract_page")
    wait_report(k, library_hub, lambda row: row.ended_at is not None)
    # An ended booking does not open again.
    k.controller.taster.poll()
    k.qtbot.wait_until(lambda: not k.controller.tasks.busy, timeout=5000)
    assert k.page_name() == "attract_page" and not k.controller.taster.active


def test_practice_run_of_a_real_journey_never_sends(k: Kiosk, library_hub: HubServer) -> None:
    k.controller.taster.start(TasterPlan(("council-online",), 60), staff=(1, "Lee Librarian"))
    k.wait_page("lesson_list")
    k.tap("lesson_tile_council-online")
    k.tap("lesson_next")
    k.wait_heading("Practise: report a missed bin")
    k.tap("start_practice")
    k.wait_heading("What is the address of the missed bin?")
    assert not k.page.findChildren(QAbstractButton, "handoff") or not k.widget(QAbstractButton, "handoff").isVisible()
    assert k.label_text("taster_hint").startswith("Practice run: nothing is sent.")
    k.cont()  # no address: the journey's error, and the lesson's hint under the time
    assert k.errors() == ["Enter the postcode"]
    assert k.label_text("taster_hint").startswith("Read the red box at the top")
    k.typed_address("address")
    k.choose("bin_type", "general")
    k.date("when", "1", "11", "2026")
    k.cont()
    k.choose("where_left", "kerbside")
    k.cont()
    k.cont()
    k.wait_page("check_answers")
    assert k.label_text("send_title") == "This is where you would send your answers"
    k.tap("continue")
    k.wait_heading("Practise: report a missed bin")
    assert k.label_text("feedback") == "Well done: you finished the practice. Nothing was sent."
    assert k.widget(QAbstractButton, "lesson_next").isVisible()
    assert k.services.outbox.depth() == 0
    assert library_hub.cases() == []
    assert k.controller.shell.resident.journey is None and k.controller.shell.resident.practice is None


def test_offline_staff_pin_opens_a_session_and_the_reports_wait_for_the_hub(
        qtbot, qasync_loop, library_hub: HubServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    online = make_kiosk(qtbot, library_hub, tmp_path / "kiosk")
    try:
        online.controller.assist.sync_staff_pins()
        qtbot.waitUntil(lambda: bool(online.controller.assist.staff_pins.load()), timeout=5000)
    finally:
        online.close()
    # The same terminal, its hub gone: the librarian's synced PIN still opens a session.
    offline = make_kiosk(qtbot, None, tmp_path / "kiosk", hub_url="http://127.0.0.1:9", token=library_hub.token)
    try:
        offline.tap("attract_start")
        offline.wait_page("home_page")
        enter_on_pad(offline, "593127")
        qtbot.waitUntil(lambda: offline.window.overlay is not None and offline.label_text("overlay_heading")
                        == "Staff: Lee Librarian", timeout=8000)
        offline.tap("overlay_taster")
        offline.wait_page("taster_setup")
        offline.tap("open_session")
        offline.wait_page("lesson_list")
        assert banner_left(offline) == "60 minutes left"
        offline.tap("lesson_tile_touchscreen")
        # Nothing is lost while the hub is away: the reports and the audit entry wait in the outbox.
        assert offline.services.outbox.depth("taster") >= 2  # opened, lesson started
        assert offline.services.outbox.depth("audit") >= 1
    finally:
        offline.close()
