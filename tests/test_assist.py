"""Officer assist, end to end: help request, an officer signs in and claims it over HTTP, the
code goes in on the kiosk's Staff pad, the overlay changes an answer and hands back, the
resident submits, and the case and audit log say what happened."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from sqlalchemy import select

from hub.db import AssistCode, AuditEntry, HelpRequest
from hub.devices import create_device
from hub.ratelimit import limits_of
from hub.staff import create_staff
from kiosk.workflows.pin_verifier import kiosk_pin_key, verify
from tests.hubserver import HubServer, sign_in, start_hub
from tests.resident import Kiosk, make_kiosk
from tests.test_screens_render import shoot

StaffFactory = Callable[[tuple[str, str]], httpx.Client]
OFFICER = ("olu", "officer-password-1")
ADMIN = ("ada", "admin-password-12")


@pytest.fixture
def assist_hub(tmp_path: Path) -> Iterator[HubServer]:
    server = start_hub(tmp_path / "hub")
    with server.state.sessions() as session:
        create_staff(session, OFFICER[0], "Olu Officer", "officer", OFFICER[1], site="test-site", pin="482715")
        create_staff(session, ADMIN[0], "Ada Admin", "admin", ADMIN[1])
    yield server
    server.stop()


@pytest.fixture
def staff(assist_hub: HubServer) -> Iterator[Callable[[tuple[str, str]], httpx.Client]]:
    """Signed-in staff browsers (cookie sessions), closed after the test."""
    clients: list[httpx.Client] = []

    def open_for(who: tuple[str, str]) -> httpx.Client:
        clients.append(sign_in(assist_hub, who))
        return clients[-1]

    yield open_for
    for c in clients:
        c.close()


@pytest.fixture
def k(qtbot, qasync_loop, assist_hub: HubServer, tmp_path: Path) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, assist_hub, tmp_path / "kiosk")
    yield kiosk
    kiosk.close()


def claim_first(client: httpx.Client) -> str:
    page = client.get("/staff/help")
    assert page.status_code == 200
    form = re.search(r'action="(/staff/help/\d+/claim)"><input type="hidden" name="csrf" value="([^"]+)"', page.text)
    assert form is not None, page.text
    code_page = client.post(form.group(1), data={"csrf": form.group(2)})
    assert code_page.status_code == 200
    code = re.search(r'<strong id="code"[^>]*>(\d{3} \d{3})</strong>', code_page.text)
    assert code is not None
    return code.group(1).replace(" ", "")


def ask_for_help(k: Kiosk) -> None:
    k.start("missed-bin")
    k.find_address("address", "TS18 1AU")
    k.choose("bin_type", "general")
    k.wait_heading("When was your bin due to be collected?")
    k.tap("get_help")
    k.qtbot.waitUntil(lambda: k.label_text("overlay_heading") ==
                      "A member of staff has been asked to come to this screen", timeout=5000)
    assert "Someone usually comes within 5 minutes" in k.label_text("overlay_text_0")
    k.tap("overlay_close")


def enter_on_pad(k: Kiosk, digits: str) -> None:
    k.tap("staff")
    k.qtbot.waitUntil(lambda: k.window.overlay is not None, timeout=2000)
    for d in digits:
        k.tap(f"pin_{d}")
    k.tap("pin_enter")


def test_whole_assisted_journey(k: Kiosk, assist_hub: HubServer, staff: StaffFactory) -> None:
    ask_for_help(k)
    with assist_hub.state.sessions() as session:
        request = session.scalar(select(HelpRequest))
        assert request is not None and (request.journey, request.step) == ("missed-bin", "when")
    officer = staff(OFFICER)
    code = claim_first(officer)
    enter_on_pad(k, code)
    k.qtbot.waitUntil(lambda: k.window.banner.isVisible(), timeout=5000)
    assert k.window.banner.text() == "Officer helping: Olu Officer"
    assert k.window.assist.isVisible()
    # The resident is not timed out while the officer has the screen (only after a long limit).
    assert k.controller.idle.active and k.controller.idle.limit_ms == 10 * 60_000
    shoot(k, "landscape-officer-assist", Path(k.settings.state_dir))
    # The officer corrects an earlier answer, then hands back.
    k.tap("assist_go_bin_type")
    k.wait_heading("Which bin was missed?")
    k.choose("bin_type", "recycling")
    k.wait_heading("When was your bin due to be collected?")
    k.tap("assist_hand_back")
    assert not k.window.assist.isVisible() and not k.window.banner.isVisible()
    assert k.controller.idle.active
    # The resident is told they are in charge again, and how to call for help.
    k.qtbot.waitUntil(lambda: k.label_text("overlay_heading") == "You are in control again", timeout=2000)
    k.tap("overlay_close")
    # The resident finishes.
    reference = k.send_missed_bin_from_date()
    k.qtbot.waitUntil(lambda: assist_hub.case(reference) is not None, timeout=5000)
    case = assist_hub.case(reference)
    assert case is not None
    assert case.channel == "assisted" and case.officer_id is not None
    assert case.officer_entered == "bin_type"
    assert assist_hub.answers(case)["bin_type"] == "recycling"
    # The resident ends the session themselves (Finish wipes it, as Start again would).
    k.tap("finish")
    k.wait_page("why")
    k.tap("action_skip")
    k.wait_page("attract_page")
    # The audit log: who, when, what; never an answer.
    k.services.worker.wake()
    k.qtbot.waitUntil(lambda: k.services.outbox.depth("audit") == 0, timeout=5000)
    admin = staff(ADMIN)
    rows = list(csv.reader(io.StringIO(admin.get("/staff/audit.csv").text)))
    actions = [(r[1], r[3], r[5], r[6]) for r in rows[1:]]
    assert ("Olu Officer", "test-kiosk", "claimed help", f"help request {request.id}") in actions
    assert ("Olu Officer", "test-kiosk", "joined", "with a one-time code") in actions
    assert ("Olu Officer", "test-kiosk", "went to step", "bin_type") in actions
    assert ("Olu Officer", "test-kiosk", "changed answer", "bin_type") in actions
    assert ("Olu Officer", "test-kiosk", "handed back", "") in actions
    # What the resident did after the hand-back (ending the session) is not the officer's doing.
    assert [a for a in actions if a[2] == "ended session"] == []
    assert "recycling" not in str(rows) and "High Street" not in str(rows)
    page = admin.get("/staff/audit")
    assert "Olu Officer" in page.text
    assert staff(OFFICER).get("/staff/audit").status_code == 403  # admins only


def test_wrong_codes_lock_the_pad(k: Kiosk) -> None:
    k.start("missed-bin")
    for tries_left in (4, 3, 2, 1):
        enter_on_pad(k, "000000")
        k.qtbot.waitUntil(lambda t=tries_left: k.label_text("pin_message") ==
                          f"That code or PIN is not right. {t} tr{'ies' if t > 1 else 'y'} left.", timeout=5000)
        k.tap("pin_cancel")
    enter_on_pad(k, "000000")
    k.qtbot.waitUntil(lambda: k.label_text("pin_message").startswith("Too many wrong PINs"), timeout=5000)
    assert not k.window.banner.isVisible()


def test_expired_code_and_code_for_another_kiosk(k: Kiosk, assist_hub: HubServer, staff: StaffFactory) -> None:
    ask_for_help(k)
    officer = staff(OFFICER)
    code = claim_first(officer)
    with assist_hub.state.sessions() as session:
        row = session.scalar(select(AssistCode))
        assert row is not None
        row.expires_at = dt.datetime(2020, 1, 1)
        session.commit()
    enter_on_pad(k, code)
    k.qtbot.waitUntil(lambda: k.label_text("pin_message").startswith("That code has expired"), timeout=5000)
    k.tap("pin_cancel")
    # A code made for another kiosk does not open this one.
    other = assist_hub.new_device("other-kiosk")
    httpx.post(f"{assist_hub.url}/api/v1/help", json={}, headers={"Authorization": f"Bearer {other}"})
    code_for_other = claim_first(officer)
    enter_on_pad(k, code_for_other)
    k.qtbot.waitUntil(lambda: k.label_text("pin_message").startswith("That code or PIN is not right"), timeout=5000)
    assert not k.window.banner.isVisible()


def test_offline_staff_pin(qtbot, qasync_loop, assist_hub: HubServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    online = make_kiosk(qtbot, assist_hub, tmp_path / "kiosk")
    try:
        online.controller.assist.sync_staff_pins()
        qtbot.waitUntil(lambda: bool(online.controller.assist.staff_pins.load()), timeout=5000)
        pins = online.controller.assist.staff_pins.load()
    finally:
        online.close()
    assert "482715" not in str(pins) and pins[0]["name"] == "Olu Officer"
    # The same kiosk (same state directory), now without its hub.
    offline = make_kiosk(qtbot, None, tmp_path / "kiosk", hub_url="http://127.0.0.1:9", token=assist_hub.token)
    try:
        offline.start("missed-bin")
        enter_on_pad(offline, "1111")
        qtbot.waitUntil(lambda: offline.label_text("pin_message").startswith("That code or PIN is not right"),
                        timeout=8000)
        offline.tap("pin_cancel")
        enter_on_pad(offline, "482715")
        qtbot.waitUntil(lambda: offline.window.banner.isVisible(), timeout=8000)
        assert offline.window.banner.text() == "Officer helping: Olu Officer"
        assert offline.controller.shell.resident.officer is not None and offline.controller.shell.resident.officer.offline
        assert offline.services.outbox.depth("audit") >= 1  # the join is audited once the hub is back
    finally:
        offline.close()


def test_officer_page_csrf_and_login_rate_limit(assist_hub: HubServer, staff: StaffFactory) -> None:
    with httpx.Client(base_url=assist_hub.url) as c:
        assert c.post("/staff/login", data={"username": OFFICER[0], "password": OFFICER[1]}).status_code == 403
        form = c.get("/staff/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
        codes = [c.post("/staff/login", data={"username": OFFICER[0], "password": "wrong-password!",
                                              "csrf": csrf}).status_code for _ in range(6)]
        assert codes == [401] * 5 + [429]
        assert "Too many wrong passwords. Wait" in c.post("/staff/login", data={
            "username": OFFICER[0], "password": OFFICER[1], "csrf": csrf}).text
        # HTTP Basic is no way round it.
        assert c.get("/staff/cases", auth=OFFICER).status_code == 429
    limits_of(assist_hub.app.state).reset()
    officer = staff(OFFICER)
    httpx.post(f"{assist_hub.url}/api/v1/help", json={}, headers={"Authorization": f"Bearer {assist_hub.token}"})
    page = officer.get("/staff/help")
    claim_url = re.search(r'action="(/staff/help/\d+/claim)"', page.text).group(1)  # type: ignore[union-attr]
    assert officer.post(claim_url, data={"csrf": "forged"}).status_code == 403
    assert httpx.get(f"{assist_hub.url}/staff/help").status_code == 401


def test_staff_pins_are_never_sent_as_pins(assist_hub: HubServer, tmp_path: Path) -> None:
    """Security review M4: a kiosk gets verifiers keyed to its own token; a copied list (a backup
    of the state directory) checks nothing without that token, and no two kiosks' lists match."""
    def verifiers(token: str) -> list[dict[str, str]]:
        r = httpx.get(f"{assist_hub.url}/api/v1/staff-pins", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200
        return list(r.json()["staff"])

    staff = verifiers(assist_hub.token)
    assert [s["name"] for s in staff] == ["Olu Officer"] and "482715" not in str(staff)
    mine = staff[0]["verifier"]
    assert verify("482715", mine, kiosk_pin_key(assist_hub.token))
    assert not verify("482716", mine, kiosk_pin_key(assist_hub.token))
    with pytest.raises(InvalidHashError):  # not an argon2 hash of the PIN a cracker could try
        PasswordHasher().verify(mine, "482715")
    assert not verify("482715", mine, kiosk_pin_key("kt_someone-elses-token"))
    with assist_hub.state.sessions() as session:
        other = create_device(session, "kiosk-2", "test-site")
    theirs = verifiers(other)[0]["verifier"]
    assert theirs != mine and verify("482715", theirs, kiosk_pin_key(other))
    assert not verify("482715", mine, kiosk_pin_key(other))
    # Re-keying the kiosk (a new token) makes its old list worthless.
    with assist_hub.state.sessions() as session:
        rekeyed = create_device(session, "kiosk-2", "test-site")
    assert not verify("482715", theirs, kiosk_pin_key(rekeyed))


def test_join_codes_one_live_per_kiosk_and_a_few_wrong_tries_end_it(assist_hub: HubServer,
                                                                    staff: StaffFactory) -> None:
    """Security review M3: guessing the 6 digits gets three tries at one live code, audited."""
    officer = staff(OFFICER)
    device = {"Authorization": f"Bearer {assist_hub.token}"}

    def join(code: str) -> int:
        return httpx.post(f"{assist_hub.url}/api/v1/assist/join", json={"code": code}, headers=device).status_code

    httpx.post(f"{assist_hub.url}/api/v1/help", json={}, headers=device)
    first = claim_first(officer)
    httpx.post(f"{assist_hub.url}/api/v1/help", json={}, headers=device)
    second = claim_first(officer)  # a second code for the same kiosk ends the first
    assert join(first) == 404  # (a wrong try at the live one, too)
    wrong = next(c for c in ("000000", "111111") if c != second.replace(" ", ""))
    assert join(wrong) == 404
    assert join(second) == 200  # two wrong tries still leave it live
    httpx.post(f"{assist_hub.url}/api/v1/help", json={}, headers=device)
    third = claim_first(officer)
    guesses = [c for c in ("333333", "444444", "555555", "666666") if c != third.replace(" ", "")][:3]
    assert [join(c) for c in guesses] == [404, 404, 404]
    assert join(third) == 404  # ended by the guessing: the officer gets a new one
    with assist_hub.state.sessions() as session:
        refused = [e.detail for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "code_refused")
                                                     .order_by(AuditEntry.at))]
    assert refused[-3:] == ["wrong join code, 1 of 3", "wrong join code, 2 of 3", "wrong join code, 3 of 3"]
