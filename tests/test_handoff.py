"""Finish at home: a journey moves from the kiosk (real widgets) to a phone (real Chromium)."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from hub import handoff
from hub.db import Handoff, InsightCount
from hub.devices import create_device
from hub.ratelimit import limits_of
from kiosk.views.qr import QrCode
from tests.hubserver import HubServer
from tests.phone import with_browser
from tests.resident import Kiosk

CANARY = "Zqxvphonecanary"


def read_qr(qr: QrCode) -> str:
    """The QR code as drawn on screen, decoded by zbar (Debian's zbar-tools)."""
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "qr.png"
        assert qr.grab().save(str(image))
        out = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def begin_on_kiosk(kiosk: Kiosk) -> tuple[str, str]:
    """Two questions at the kiosk, then "Finish on my phone"; returns the QR's link and the code."""
    kiosk.start("missed-bin")
    kiosk.find_address("address", "TS18 1AU", index=1)
    kiosk.choose("bin_type", "garden")
    kiosk.wait_heading("Have you paid for garden waste collections this year?")
    kiosk.tap("handoff")
    kiosk.wait_page("handoff_page")
    qr = kiosk.page.findChild(QrCode, "qr_code")
    assert qr is not None
    assert read_qr(qr) == qr.data  # what is drawn, read as a phone's camera would
    code = kiosk.label_text("handoff_code")
    assert kiosk.label_text("typed_address") == f"{kiosk.hub.url}/h"  # type: ignore[union-attr]
    assert kiosk.label_text("valid_until").startswith("The link works until ")
    assert kiosk.controller.shell.resident.journey is None  # the kiosk has let go of the answers
    kiosk.tap("done")
    kiosk.wait_page("attract_page")
    return qr.data, code


def test_kiosk_to_phone_to_case_with_every_answer(kiosk: Kiosk, hub: HubServer) -> None:
    url, _code = begin_on_kiosk(kiosk)
    assert url.startswith(f"{hub.url}/h/") and len(url.rsplit("/", 1)[1]) >= 22  # >= 128 random bits
    seen_urls: list[str] = []

    def phone(browser: Browser) -> str:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.on("request", lambda r: seen_urls.append(r.url))
        response = page.goto(url)
        assert response is not None
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "no-store" in response.headers["cache-control"]
        # Opening the link takes nothing (a link-preview bot opens links too): the resident presses on.
        expect(page.locator("h1")).to_have_text("Carry on with your answers")
        page.get_by_role("button", name="Continue on this phone").click()
        # Carries on at the question the kiosk was on; the earlier answers came along.
        expect(page.locator("h1")).to_have_text("Have you paid for garden waste collections this year?")
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("h1")).to_have_text("When was your bin due to be collected?")
        page.get_by_role("button", name="Continue").click()  # nothing entered
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date your bin was due")
        page.get_by_label("Day").fill("3")
        page.get_by_label("Month").fill("11")
        page.get_by_label("Year").fill("2026")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("In the back lane").check()
        page.get_by_role("button", name="Continue").click()
        page.locator("textarea").fill(CANARY)
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("textbox").fill("phone@example.com")
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("h1")).to_have_text("Check your answers")
        expect(page.locator("dl.govuk-summary-list")).to_contain_text("3 High Street, Stockton-on-Tees, TS18 1AU")
        # Change an earlier (kiosk) answer from the phone.
        page.get_by_role("button", name="Change bin").click()
        page.get_by_label("Recycling (blue bin or boxes)").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("h1")).to_have_text("Check your answers")
        page.get_by_role("button", name="Send report").click()
        expect(page.locator("h1")).to_have_text("Missed bin reported")
        reference = page.locator(".govuk-panel strong").inner_text()
        # A second device, and this device after completion.
        other = browser.new_context().new_page()
        other.goto(url)
        expect(other.locator("h1")).to_have_text("This has already been sent")
        context.close()
        return reference

    reference = with_browser(phone)
    case = hub.case(reference)
    assert case is not None and case.channel == "kiosk-to-phone" and case.site == "test-site"
    answers = hub.answers(case)
    assert answers["address"]["line1"] == "3 High Street"
    assert answers["bin_type"] == "recycling"
    assert "garden_subscribed" not in answers  # off the path after the change
    assert answers["when"] == "2026-11-03"
    assert answers["where_left"] == "back_lane"
    assert answers["details"] == CANARY
    assert answers["email"] == "phone@example.com"
    # No personal data in any address the phone used (the link has only a random token).
    assert seen_urls and not any(CANARY.lower() in u.lower() or "high" in u.lower() or "phone%40" in u
                                 for u in seen_urls)
    with hub.state.sessions() as session:
        row = session.scalar(select(Handoff).where(Handoff.reference == reference))
        assert row is not None and row.sealed is None  # the answers left the handoff store
        assert url.rsplit("/", 1)[1] not in (row.token_hash, row.code_hash)
        kinds = {r.metric for r in session.scalars(select(InsightCount))}
    assert {"handoff_started", "handoff_completed"} <= kinds


def test_second_device_is_refused_and_the_code_works(kiosk: Kiosk, hub: HubServer) -> None:
    url, code = begin_on_kiosk(kiosk)

    def phones(browser: Browser) -> None:
        first = browser.new_context().new_page()
        first.goto(f"{hub.url}/h")
        first.get_by_label("Code from the kiosk screen").fill(code.lower().replace(" ", ""))
        first.get_by_role("button", name="Continue").click()
        expect(first.locator("h1")).to_have_text("Have you paid for garden waste collections this year?")
        second = browser.new_context().new_page()
        second.goto(url)
        expect(second.locator("h1")).to_have_text("This journey is open on another device")
        # The claimed device can come back by the same link.
        first.goto(url)
        expect(first.locator("h1")).to_have_text("Have you paid for garden waste collections this year?")

    with_browser(phones)


def test_expired_links_and_the_sweeper(hub: HubServer) -> None:
    headers = {"Authorization": f"Bearer {hub.token}"}
    r = httpx.post(f"{hub.url}/api/v1/handoffs", headers=headers, json={
        "journey_id": "missed-bin", "answers": {"bin_type": "general"}, "history": ["address", "bin_type", "when"]})
    assert r.status_code == 201, r.text
    token = r.json()["url"].rsplit("/", 1)[1]
    with hub.state.sessions() as session:
        row = handoff.by_token(session, token)
        assert row is not None and row.sealed is not None
        row.expires_at = dt.datetime(2020, 1, 1)
        session.commit()
        assert handoff.sweep(session) >= 1
        session.refresh(row)
        assert row.sealed is None
    page = httpx.get(f"{hub.url}/h/{token}")
    assert page.status_code == 410 and "This link has expired" in page.text
    assert httpx.get(f"{hub.url}/h/not-a-real-token").status_code == 404
    bad = httpx.post(f"{hub.url}/api/v1/handoffs", headers=headers, json={
        "journey_id": "bin-days", "answers": {}, "history": ["address"]})
    assert bad.status_code == 422


def test_guessing_short_codes_is_throttled(hub: HubServer) -> None:
    limits_of(hub.app.state).reset()  # a fresh window for this test (10 tries per client)
    with httpx.Client(base_url=hub.url) as c:
        codes = [c.post("/h", data={"code": f"ZZZZ{n:04d}"}).status_code for n in range(12)]
    assert codes[:10] == [422] * 10
    assert codes[10:] == [429, 429]
    limits_of(hub.app.state).reset()
    with httpx.Client(base_url=hub.url) as c:  # a mistyped code stays in the box, to correct
        wrong = c.post("/h", data={"code": "ABCD 234X"})
    assert wrong.status_code == 422 and 'value="ABCD 234X"' in wrong.text


def test_forms_need_the_page_token(hub: HubServer) -> None:
    headers = {"Authorization": f"Bearer {hub.token}"}
    r = httpx.post(f"{hub.url}/api/v1/handoffs", headers=headers, json={
        "journey_id": "missed-bin", "answers": {}, "history": ["address"]})
    token = r.json()["url"].rsplit("/", 1)[1]
    with httpx.Client(base_url=hub.url, follow_redirects=False) as c:
        claimed = c.post(f"/h/{token}")
        assert claimed.status_code == 303
        target = claimed.headers["location"]
        forged = c.post(target, data={"action": "continue", "csrf": "wrong"})
        assert forged.status_code == 400
        assert c.get(target).status_code == 200
    with httpx.Client(base_url=hub.url) as stranger:
        assert stranger.get(target).status_code == 403


def test_no_personal_data_in_hub_log_lines(kiosk: Kiosk, hub: HubServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    url, _ = begin_on_kiosk(kiosk)

    def phone(browser: Browser) -> None:
        page: Page = browser.new_context().new_page()
        page.goto(url)
        page.get_by_role("button", name="Continue on this phone").click()
        page.get_by_label("No").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("h1")).to_have_text("We only collect garden waste for households that have paid")

    with_browser(phone)
    leaks = [f"{r.name}: {r.getMessage()[:200]}" for r in caplog.records
             if "High Street" in r.getMessage() or "TS18" in r.getMessage()]
    assert leaks == []


def test_opening_the_link_takes_nothing_only_the_residents_press_does(hub: HubServer) -> None:
    """A link-preview bot or a mail scanner fetches links: that must not take the resident's
    journey. Only a POST (the resident's press) claims it; the resident then carries on."""
    r = httpx.post(f"{hub.url}/api/v1/handoffs", headers={"Authorization": f"Bearer {hub.token}"}, json={
        "journey_id": "missed-bin", "answers": {"bin_type": "general"}, "history": ["address", "bin_type", "when"]})
    token = r.json()["url"].rsplit("/", 1)[1]
    for _ in range(3):  # a bot, a preview, a scanner
        bot = httpx.get(f"{hub.url}/h/{token}", follow_redirects=False)
        assert bot.status_code == 200 and "Carry on with your answers" in bot.text
    with hub.state.sessions() as session:
        row = handoff.by_token(session, token)
        assert row is not None and row.claim_hash is None
    with httpx.Client(base_url=hub.url, follow_redirects=True) as resident:
        page = resident.post(f"/h/{token}")
        assert page.status_code == 200 and "When was your bin due to be collected?" in page.text
        # Back by the link later: straight on, no second press.
        again = resident.get(f"/h/{token}")
        assert "When was your bin due to be collected?" in again.text
    late = httpx.get(f"{hub.url}/h/{token}")  # anyone else, now it is taken
    assert late.status_code == 403 and "open on another device" in late.text


def test_what_was_typed_goes_to_the_phone_and_the_kiosk_steps_aside(kiosk: Kiosk, hub: HubServer) -> None:
    """The current page's typing, not yet sent with Continue, is in the phone's box; once the
    phone takes the journey the kiosk leaves the QR code, says so, and wipes on Done."""
    typed = "In the alley behind number 12, Zqxvdraftcanary"
    kiosk.start("fly-tipping")
    kiosk.typed_address("where")
    kiosk.wait_heading("Describe exactly where it is")
    kiosk.type("input_location_detail", typed)
    kiosk.tap("handoff")  # no Continue: the words are only in the box
    kiosk.wait_page("handoff_page")
    qr = kiosk.page.findChild(QrCode, "qr_code")
    assert qr is not None
    url = read_qr(qr)
    handoff_id = kiosk.controller.handoff._watching[1]  # type: ignore[index]
    headers = {"Authorization": f"Bearer {hub.token}"}
    assert httpx.get(f"{hub.url}/api/v1/handoffs/{handoff_id}", headers=headers).json() == {"state": "waiting"}

    def phone(browser: Browser) -> None:
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(url)
        page.get_by_role("button", name="Continue on this phone").click()
        expect(page.locator("h1")).to_have_text("Describe exactly where it is")
        expect(page.locator("textarea, input[type=text]").first).to_have_value(typed)
        page.context.close()

    with_browser(phone)
    assert httpx.get(f"{hub.url}/api/v1/handoffs/{handoff_id}", headers=headers).json() == {"state": "on_phone"}
    kiosk.qtbot.waitUntil(lambda: kiosk.page.objectName() == "on_your_phone", timeout=10000)
    assert kiosk.label_text("page_heading") == "Your answers are on your phone"
    assert typed not in " ".join(kiosk.texts())
    kiosk.tap("action_done")
    kiosk.wait_page("attract_page")
    # Another kiosk cannot ask about it.
    with hub.state.sessions() as session:
        other = create_device(session, "kiosk-elsewhere", "test-site")
    assert httpx.get(f"{hub.url}/api/v1/handoffs/{handoff_id}",
                     headers={"Authorization": f"Bearer {other}"}).status_code == 404
