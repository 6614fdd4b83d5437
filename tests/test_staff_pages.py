"""The staff pages as staff see them, in Chromium at 1280 and 320 pixels wide: GOV.UK
Frontend, every page reachable from a navigation that lists only what the role may open, Sign
out everywhere, nothing wider than the screen (WCAG 1.4.10 reflow), and no WCAG 2.2 A or AA
failures by axe-core run in the page. The library page updates its terminals without
touching a half-filled booking form."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from hub.db import TasterRun
from hub.staff import create_staff
from kiosk.workflows.validators import REFERENCE_ALPHABET
from tests.hubserver import TEST_ADMIN, HubServer, start_hub
from tests.phone import with_browser

LIBRARIAN = ("libby", "library-password-1")
OFFICER = ("oli", "officer-password-1")
ANALYST = ("ana", "insight-password-1")
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
PAGES = {
    TEST_ADMIN: ["/staff/cases", "/staff/cases/KQ4M-7XTB-3HNP", "/staff/help", "/staff/library", "/insight",
                 "/staff/fleet", "/staff/audit"],
    OFFICER: ["/staff/cases", "/staff/help", "/staff/fleet"],
    LIBRARIAN: ["/staff/library", "/staff/help", "/staff/fleet"],
    ANALYST: ["/insight"],
}
NAV = {TEST_ADMIN: ["Cases", "Help requests", "Library", "Insight", "Kiosks", "Audit log"],
       OFFICER: ["Cases", "Help requests", "Kiosks"], LIBRARIAN: ["Help requests", "Library", "Kiosks"],
       ANALYST: ["Insight"]}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubServer]:
    server = start_hub(tmp_path_factory.mktemp("hub"), staff_refresh_seconds=5)
    server.staff_get("/staff/cases")  # makes the test admin
    with server.state.sessions() as session:
        create_staff(session, *LIBRARIAN[:1], "Libby Librarian", "library", LIBRARIAN[1], site="test-site")
        create_staff(session, *OFFICER[:1], "Oli Officer", "officer", OFFICER[1], site="test-site")
        create_staff(session, *ANALYST[:1], "Ana Analyst", "insight", ANALYST[1])
    headers = {"Authorization": f"Bearer {server.token}"}
    answers = {"reference": "KQ4M-7XTB-3HNP", "journey_id": "missed-bin", "journey_version": 1,
               "channel": "self-service", "submitted_at": dt.datetime.now(dt.UTC).isoformat(),
               "answers": {"bin_type": "general"},
               "summary": [{"question": "Address", "answer": "1 High Street\nStockton-on-Tees\nTS18 1AU"}]}
    assert httpx.post(f"{server.url}/api/v1/submissions", json=answers,
                      headers={**headers, "Idempotency-Key": uuid.uuid4().hex}).status_code == 201
    assert httpx.post(f"{server.url}/api/v1/help", json={}, headers=headers).status_code == 201
    beat = {"software_version": "0.2.0", "journeys_version": "ab12cd34ef56ab78", "config_version": "0011223344556677",
            "outbox_queued": 3, "outbox_oldest_seconds": 1500, "outbox_held": 1, "outbox_quarantined": 0,
            "last_error": "hub_refused", "uptime_seconds": 3600, "free_disk_mb": 20000, "screen": "journey"}
    assert httpx.post(f"{server.url}/api/v1/heartbeat", json=beat, headers=headers).status_code == 200
    server.new_device("library-terminal-2", "test-site")  # never reports
    yield server
    server.stop()


def sign_in(page: Page, hub: HubServer, who: tuple[str, str]) -> None:
    page.goto(f"{hub.url}/staff/login")
    page.get_by_label("Username").fill(who[0])
    page.get_by_label("Password", exact=True).fill(who[1])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#signed-in")).to_be_visible()


def problems(page: Page, width: int) -> list[str]:
    found = []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        found.append(f"{page.url} at {width} px is {scroll} px wide")
    results = Axe().run(page, options=WCAG)
    for v in results.response["violations"]:
        found.append(f"{page.url} at {width} px: {v['id']} ({v['impact']}): {v['help']} "
                     f"{[n['target'] for n in v['nodes']][:3]}")
    return found


@pytest.mark.parametrize("width", [1280, 320])
def test_every_staff_page_reflows_has_the_navigation_and_passes_axe(hub: HubServer, width: int) -> None:
    def visit(browser: Browser) -> list[str]:
        found: list[str] = []
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{hub.url}/staff/login")
        found += problems(page, width)
        context.close()
        for who, paths in PAGES.items():
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            sign_in(page, hub, who)
            for path in paths:
                response = page.goto(hub.url + path)
                assert response is not None and response.status == 200, path
                nav = page.get_by_role("navigation", name="Staff pages")
                menu = nav.get_by_role("button", name="Menu")
                if menu.is_visible():  # on a phone GOV.UK's navigation folds into a Menu button
                    menu.click()
                links = [t.strip() for t in nav.get_by_role("link").all_inner_texts()]
                assert links == NAV[who], (who, path, links)
                expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
                found += problems(page, width)
            context.close()
        return found

    found = with_browser(visit, timeout=300)
    assert found == [], "\n".join(found)


def test_the_library_page_updates_without_losing_a_half_filled_booking(hub: HubServer) -> None:
    with hub.state.sessions() as session:
        session.add(TasterRun(id=uuid.uuid4().hex, kiosk_id="test-kiosk", site="test-site", group_name="Tuesday",
                              lessons="touchscreen keyboard", completed="", started_at=dt.datetime.now(dt.UTC)
                              .replace(tzinfo=None), ends_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)
                              + dt.timedelta(minutes=30), reported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
        session.commit()

    def librarian(browser: Browser) -> None:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(page, hub, LIBRARIAN)
        page.goto(f"{hub.url}/staff/library")
        expect(page.locator("#terminals")).to_contain_text("Tuesday")
        page.get_by_label("Group name (optional)").fill("Thursday beginners")
        page.get_by_label("Start time").fill("14:30")
        with hub.state.sessions() as session:  # the terminal reports: its session has moved on
            run = session.query(TasterRun).one()
            run.group_name = "Tuesday afternoon"
            session.commit()
        expect(page.locator("#terminals")).to_contain_text("Tuesday afternoon", timeout=15000)
        # The form the librarian was filling in is as they left it, and the page never reloaded.
        expect(page.get_by_label("Group name (optional)")).to_have_value("Thursday beginners")
        expect(page.get_by_label("Start time")).to_have_value("14:30")
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
        page.context.close()

    with_browser(librarian, timeout=120)


def test_without_javascript_the_pages_work_and_say_how_to_refresh(hub: HubServer, tmp_path: Path) -> None:
    def no_js(browser: Browser) -> None:
        page = browser.new_context(java_script_enabled=False).new_page()
        sign_in(page, hub, OFFICER)
        page.goto(f"{hub.url}/staff/help")
        expect(page.get_by_role("link", name="Refresh now")).to_be_visible()
        expect(page.locator("meta[http-equiv=refresh]")).to_have_count(0)
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Staff sign in")).to_be_visible()
        page.context.close()

    with_browser(no_js)


def new_handoff(hub: HubServer, language: str = "en") -> str:
    state = {"journey_id": "missed-bin", "history": ["address", "bin_type"], "language": language,
             "answers": {"address": {"uprn": "100110000001", "line1": "3 High Street", "line2": "",
                                     "town": "Stockton-on-Tees", "postcode": "TS18 1AU"}}}
    made = httpx.post(f"{hub.url}/api/v1/handoffs", json=state, headers={"Authorization": f"Bearer {hub.token}"})
    assert made.status_code == 201, made.text
    return str(made.json()["url"])


@pytest.mark.parametrize("width", [1280, 320])
def test_phone_pages_reflow_and_pass_axe_in_english_and_arabic(hub: HubServer, width: int) -> None:
    links = {"en": new_handoff(hub), "ar": new_handoff(hub, "ar")}

    def phone(browser: Browser) -> list[str]:
        found: list[str] = []
        for language, link in links.items():
            page = browser.new_context(viewport={"width": width, "height": 844}).new_page()
            page.goto(link)
            assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
            found += problems(page, width)  # "Carry on with your answers"
            page.locator("button[type=submit]").click()
            expect(page.locator("h1")).to_be_visible()
            found += problems(page, width)  # which bin: radios
            page.locator("button[value=continue]").click()
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            found += problems(page, width)  # the same, with an error summary and message
            page.locator("input[type=radio]").first.check()
            page.locator("button[value=continue]").click()
            page.locator("button[value=continue]").click()  # a date, left empty
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            found += problems(page, width)
            page.context.close()
        page = browser.new_context(viewport={"width": width, "height": 844}).new_page()
        page.goto(f"{hub.url}/h")
        page.get_by_role("button", name="Continue").click()
        found += problems(page, width)  # the short-code page with its error
        page.goto(f"{hub.url}/track/KQ4M-7XTB-3HNP")
        found += problems(page, width)
        page.context.close()
        return found

    found = with_browser(phone, timeout=300)
    assert found == [], "\n".join(found)


def test_the_cases_page_pages_through_every_case(hub: HubServer) -> None:
    headers = {"Authorization": f"Bearer {hub.token}"}
    made = []
    for n in range(55):
        reference = "KQ4M-7XTB-" + "".join(REFERENCE_ALPHABET[(n // len(REFERENCE_ALPHABET) ** i) % len(
            REFERENCE_ALPHABET)] for i in range(4))
        body = {"reference": reference, "journey_id": "missed-bin", "journey_version": 1, "channel": "self-service",
                "submitted_at": dt.datetime.now(dt.UTC).isoformat(), "answers": {"bin_type": "general"},
                "summary": [{"question": "Bin", "answer": "General waste"}]}
        r = httpx.post(f"{hub.url}/api/v1/submissions", json=body,
                       headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
        assert r.status_code in (200, 201), r.text
        made.append(reference)
    first = hub.staff_get("/staff/cases")
    total = first.count('href="/staff/cases/KQ4M-')
    assert total == 50 and "Showing cases 1 to 50 of " in first and 'aria-label="Pages of cases"' in first
    second = hub.staff_get("/staff/cases?page=2")
    assert "Showing cases 51 to " in second and made[0] in second  # the oldest is on the last page
    assert made[-1] in first and made[-1] not in second  # the newest on the first, once

    def narrow(browser: Browser) -> list[str]:
        page = browser.new_context(viewport={"width": 320, "height": 900}).new_page()
        sign_in(page, hub, TEST_ADMIN)
        page.goto(f"{hub.url}/staff/cases?page=2")
        page.get_by_role("navigation", name="Pages of cases").get_by_role("link", name="Previous").click()
        expect(page.get_by_text("Showing cases 1 to 50")).to_be_visible()
        found = problems(page, 320)
        page.context.close()
        return found

    found = with_browser(narrow)
    assert found == [], "\n".join(found)
