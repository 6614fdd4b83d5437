"""Staff see only what their job needs (security review H1, M2): one permission table, checked
by every staff page, over real HTTP with real sign-ins."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from hub.db import AuditEntry, HelpRequest
from hub.ratelimit import limits_of
from hub.staff import create_staff, disable_staff
from kiosk.workflows.references import new_reference
from tests.hubserver import HubServer, sign_in, start_hub

STAFF = {
    "officer_a": ("officer", "site-a"), "officer_b": ("officer", "site-b"), "library_a": ("library", "site-a"),
    "analyst": ("insight", ""), "boss": ("admin", ""),
}
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def two_sites(tmp_path: Path) -> Iterator[tuple[HubServer, dict[str, str], dict[str, str]]]:
    """A hub with a case and a help request at each of two sites, and staff of each role."""
    hub = start_hub(tmp_path / "hub")
    tokens = {"site-a": hub.new_device("kiosk-a", "site-a"), "site-b": hub.new_device("kiosk-b", "site-b")}
    with hub.state.sessions() as session:
        for username, (role, site) in STAFF.items():
            create_staff(session, username, username.replace("_", " ").title(), role, PASSWORD, site=site)
    cases = {}
    for site, token in tokens.items():
        reference = new_reference()
        r = httpx.post(f"{hub.url}/api/v1/submissions", headers={
            "Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}, json={
            "reference": reference, "journey_id": "missed-bin", "journey_version": 1,
            "submitted_at": dt.datetime.now(dt.UTC).isoformat(), "answers": {"details": f"Zqxv{site}"},
            "summary": [{"question": "Other details", "answer": f"Zqxv{site}"}]})
        assert r.status_code == 201, r.text
        cases[site] = reference
        assert httpx.post(f"{hub.url}/api/v1/help", json={},
                          headers={"Authorization": f"Bearer {token}"}).status_code == 201
    yield hub, cases, tokens
    hub.stop()


def browser(hub: HubServer, username: str) -> httpx.Client:
    limits_of(hub.app.state).reset()  # several sign-ins from one test address
    return sign_in(hub, (username, PASSWORD))


def test_answers_are_read_only_by_officers_of_the_site_and_admins(two_sites: tuple[HubServer, dict[str, str],
                                                                                  dict[str, str]]) -> None:
    hub, cases, _ = two_sites
    seen = {}
    for username in STAFF:
        client = browser(hub, username)
        try:
            inbox = client.get("/staff/cases")
            pages = {site: client.get(f"/staff/cases/{ref}") for site, ref in cases.items()}
        finally:
            client.close()
        seen[username] = (inbox.status_code, {site: p.status_code for site, p in pages.items()},
                          {site: f"Zqxv{site}" in p.text for site, p in pages.items()},
                          [ref for ref in cases.values() if ref in inbox.text])
    assert seen["officer_a"] == (200, {"site-a": 200, "site-b": 403}, {"site-a": True, "site-b": False},
                                 [cases["site-a"]])
    assert seen["officer_b"] == (200, {"site-a": 403, "site-b": 200}, {"site-a": False, "site-b": True},
                                 [cases["site-b"]])
    for nobody in ("library_a", "analyst"):  # counts, never answers
        assert seen[nobody] == (403, {"site-a": 403, "site-b": 403}, {"site-a": False, "site-b": False}, [])
    assert seen["boss"][:3] == (200, {"site-a": 200, "site-b": 200}, {"site-a": True, "site-b": True})
    assert sorted(seen["boss"][3]) == sorted(cases.values())
    # Every view of a resident's answers is in the audit log, by whom.
    with hub.state.sessions() as session:
        views = [(e.staff_name, e.detail) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "viewed_case").order_by(AuditEntry.at))]
    assert sorted(views) == sorted([("Officer A", cases["site-a"]), ("Officer B", cases["site-b"]),
                                    ("Boss", cases["site-a"]), ("Boss", cases["site-b"])])


def test_help_requests_are_taken_only_at_ones_own_site(two_sites: tuple[HubServer, dict[str, str],
                                                                       dict[str, str]]) -> None:
    hub, _, _ = two_sites
    with hub.state.sessions() as session:
        ids = {r.site: r.id for r in session.scalars(select(HelpRequest))}
    officer = browser(hub, "officer_a")
    try:
        listing = officer.get("/staff/help")
        csrf = re.search(r'name="csrf" value="([^"]+)"', listing.text)
        assert csrf is not None and "kiosk-a" in listing.text and "kiosk-b" not in listing.text
        other = officer.post(f"/staff/help/{ids['site-b']}/claim", data={"csrf": csrf.group(1)})
        assert other.status_code == 403
        own = officer.post(f"/staff/help/{ids['site-a']}/claim", data={"csrf": csrf.group(1)})
        assert own.status_code == 200 and "kiosk-a" in own.text
    finally:
        officer.close()
    analyst = browser(hub, "analyst")
    try:
        assert analyst.get("/staff/help").status_code == 403
    finally:
        analyst.close()


def test_each_role_lands_on_its_own_page(two_sites: tuple[HubServer, dict[str, str], dict[str, str]]) -> None:
    hub, _, _ = two_sites
    landed = {}
    for username in STAFF:
        limits_of(hub.app.state).reset()
        with httpx.Client(base_url=hub.url) as client:
            form = client.get("/staff/login")
            csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert csrf is not None
            r = client.post("/staff/login", data={"username": username, "password": PASSWORD,
                                                  "csrf": csrf.group(1)}, follow_redirects=False)
            landed[username] = r.headers["location"]
            assert client.get(landed[username]).status_code == 200, username
    assert landed == {"officer_a": "/staff/help", "officer_b": "/staff/help", "library_a": "/staff/library",
                      "analyst": "/insight", "boss": "/staff/cases"}


def test_a_new_password_signs_out_everywhere_and_a_disabled_account_is_stopped(
        two_sites: tuple[HubServer, dict[str, str], dict[str, str]], tmp_path: Path) -> None:
    """Security review L6."""
    hub, _, tokens = two_sites
    with hub.state.sessions() as session:
        create_staff(session, "pat", "Pat Pin", "officer", PASSWORD, site="site-a", pin="135790")
    signed_in = browser(hub, "pat")
    try:
        assert signed_in.get("/staff/help").status_code == 200
        with hub.state.sessions() as session:  # a password reset, after a leak
            create_staff(session, "pat", "Pat Pin", "officer", "a-brand-new-password-2", site="site-a")
        assert signed_in.get("/staff/help").status_code == 401  # that browser must sign in again
    finally:
        signed_in.close()
    limits_of(hub.app.state).reset()
    again = sign_in(hub, ("pat", "a-brand-new-password-2"))
    pins = httpx.get(f"{hub.url}/api/v1/staff-pins", headers={"Authorization": f"Bearer {tokens['site-a']}"})
    assert "Pat Pin" in [p["name"] for p in pins.json()["staff"]]
    with hub.state.sessions() as session:
        assert disable_staff(session, "pat")
    try:
        assert again.get("/staff/help").status_code == 401
    finally:
        again.close()
    limits_of(hub.app.state).reset()
    with pytest.raises(AssertionError):
        sign_in(hub, ("pat", "a-brand-new-password-2"))
    pins = httpx.get(f"{hub.url}/api/v1/staff-pins", headers={"Authorization": f"Bearer {tokens['site-a']}"})
    assert "Pat Pin" not in [p["name"] for p in pins.json()["staff"]]
