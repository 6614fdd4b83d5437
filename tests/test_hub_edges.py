"""The hub's edges, tried as an attacker on the network would: bodies too big or without a
token, numbers a database cannot hold, a flood of tracking look-ups, and the headers every page
must carry (security review findings M6, M7, L1, L2, L4)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import re
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from hub.db import AuditEntry, StaffUser
from hub.edges import MAX_BODY_BYTES, Edges
from hub.staff import create_staff
from kiosk.workflows.references import new_reference
from tests.hubserver import TEST_ADMIN, HubServer, start_hub


def submission(**over: Any) -> dict[str, Any]:
    body = {"reference": new_reference(), "journey_id": "missed-bin", "journey_version": 1,
            "channel": "self-service", "submitted_at": dt.datetime.now(dt.UTC).isoformat(),
            "answers": {"bin_type": "general"}, "summary": [{"question": "Bin", "answer": "General"}]}
    return body | over


def post(hub: HubServer, path: str, raw: bytes | str, token: str | None = None, **headers: str) -> httpx.Response:
    auth = {"Authorization": f"Bearer {token if token is not None else hub.token}"} if token != "" else {}
    return httpx.post(f"{hub.url}{path}", content=raw, timeout=30,
                      headers={"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex,
                               **auth, **headers})


def test_a_big_body_is_refused_before_it_is_read_and_a_tokenless_one_before_anything(hub: HubServer) -> None:
    huge = json.dumps(submission(answers={"details": "x" * (MAX_BODY_BYTES + 10)}))
    assert post(hub, "/api/v1/submissions", huge, token="").status_code == 401
    assert post(hub, "/api/v1/submissions", huge, token="kt_wrong").json() == {
        "detail": "Unknown or revoked device token"}
    refused = post(hub, "/api/v1/submissions", huge)
    assert refused.status_code == 413 and refused.json()["detail"] == "The request is too large (at most 512 KB)"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(20):
            yield b"x" * 65536

    streamed = httpx.post(f"{hub.url}/api/v1/events", content=chunks(), timeout=30,
                          headers={"Authorization": f"Bearer {hub.token}", "Content-Type": "application/json"})
    assert streamed.status_code == 413
    assert hub.case(json.loads(huge)["reference"]) is None


@pytest.mark.parametrize(("path", "raw"), [
    ("/api/v1/submissions", json.dumps(submission(officer_id=2**63))),
    ("/api/v1/submissions", json.dumps(submission(journey_version=2**64))),
    ("/api/v1/submissions", json.dumps(submission(answers={"bin_type": "__NaN__"})).replace('"__NaN__"', "NaN")),
    ("/api/v1/submissions", json.dumps(submission(answers={"item_count": 1})).replace("1}", "Infinity}")),
    ("/api/v1/handoffs", json.dumps({"journey_id": "missed-bin", "answers": {"n": 2**70}, "history": ["address"]})),
    ("/api/v1/events", json.dumps({"events": [{"id": uuid.uuid4().hex, "kind": "session_started",
                                               "session": uuid.uuid4().hex, "at": "2026-11-30T10:00:00Z",
                                               "count": -(2**63) - 1}]})),
])
def test_numbers_a_database_cannot_hold_are_a_clear_422_not_a_500(hub: HubServer, path: str, raw: str) -> None:
    r = post(hub, path, raw)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] in ("A number is too large: integers must be below 2^63",
                                  "Numbers must be finite: NaN is not allowed",
                                  "Numbers must be finite: Infinity is not allowed")


def test_nul_characters_are_refused_everywhere_at_the_edge(hub: HubServer) -> None:
    """PostgreSQL cannot store or compare text with NUL in it: a clear 422 for any route, never a
    500 (the fuzzer found one in the PostgreSQL pass: a journey id "\x00" reached a query)."""
    nul = "Text may not contain the NUL character (\\u0000)"
    for raw in (json.dumps(submission(journey_id="missed\x00bin")), json.dumps(submission(answers={"a\x00": "x"}))):
        r = post(hub, "/api/v1/submissions", raw)
        assert (r.status_code, r.json()["detail"]) == (422, nul)
    login = httpx.post(f"{hub.url}/staff/login", content=b"username=a%00b&password=x&csrf=y",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (login.status_code, login.json()["detail"]) == (422, nul)
    for url in (f"{hub.url}/track/AB%00CD", f"{hub.url}/track/ABCD?lang=e%00n"):
        r = httpx.get(url)
        assert (r.status_code, r.json()["detail"]) == (422, nul)
    assert httpx.get(f"{hub.url}/track/ABCD-EFGH-JKLM").status_code == 404  # the rest as before: not found


def test_a_big_id_that_fits_json_but_not_the_database_is_refused_by_the_model(hub: HubServer) -> None:
    r = post(hub, "/api/v1/submissions", json.dumps(submission(officer_id=2**40)))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "officer_id"]


def test_what_was_submitted_never_reaches_the_log(hub: HubServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    canary = "Zqxvlogcanary"
    raw = json.dumps(submission(answers={"details": canary, "bin_type": "__NaN__"})).replace('"__NaN__"', "NaN")
    assert post(hub, "/api/v1/submissions", raw).status_code == 422
    assert post(hub, "/api/v1/submissions", json.dumps(submission(officer_id=2**40, answers={"details": canary}))
                ).status_code == 422
    assert canary not in caplog.text


def test_tracking_is_limited_per_client_not_for_everyone(tmp_path: Any) -> None:
    own = start_hub(tmp_path / "hub")
    try:
        with httpx.Client(base_url=own.url) as client:
            answers = [client.get(f"/track/{new_reference()}").status_code for _ in range(31)]
        assert answers[:30] == [404] * 30 and answers[30] == 429
        page = httpx.get(f"{own.url}/track/KQ4M-7XTB-3HNP")
        assert page.status_code == 429 and "Wait 10 minutes" in page.text and page.headers["Retry-After"] == "600"
    finally:
        own.stop()


def test_every_answer_carries_the_security_headers_and_the_docs_are_not_public(hub: HubServer) -> None:
    for path in ("/staff/login", "/track/KQ4M-7XTB-3HNP", "/api/v1/health"):
        r = httpx.get(f"{hub.url}{path}")
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in r.headers["Content-Security-Policy"]
        assert "Strict-Transport-Security" not in r.headers  # served over http here
    assert httpx.get(f"{hub.url}/docs").status_code == 404
    assert httpx.get(f"{hub.url}/redoc").status_code == 404


def test_hsts_when_the_hub_is_served_over_https() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=Edges(app, public_https=True))  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="https://hub.example") as client:
            return await client.get("/staff/login")

    # On a loop of its own, in a thread: the Qt tests keep this thread's loop running.
    got: list[httpx.Response] = []
    worker = threading.Thread(target=lambda: got.append(asyncio.run(fetch())))
    worker.start()
    worker.join(timeout=10)
    assert got and got[0].headers["Strict-Transport-Security"] == "max-age=31536000"


def test_csv_downloads_have_safe_names_and_no_formulas(hub: HubServer) -> None:
    """L1: whatever is in the URL, the download's name is safe and the answer is not a 500; L3:
    a cell a spreadsheet would run as a formula arrives as text."""
    hub.staff_get("/staff/cases")  # signs the test admin in
    admin = hub.admin
    assert admin is not None
    for site in ("€", 'x"; filename="evil.exe', "a\r\nSet-Cookie: x=1"):
        r = admin.get("/insight/summary.csv", params={"site": site})
        assert r.status_code == 200, r.text
        disposition = r.headers["Content-Disposition"]
        assert disposition.count("filename=") == 1 and disposition.endswith('.csv"')
        assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+"', disposition), disposition
        assert "set-cookie" not in r.headers
    with hub.state.sessions() as session:  # a name is the one free text an audit row holds
        formula = create_staff(session, "formula", '=HYPERLINK("http://evil.example","Click")', "officer",
                               "a-long-password-3").id
    entry = {"id": uuid.uuid4().hex, "at": dt.datetime.now(dt.UTC).isoformat(), "staff_id": formula,
             "staff_name": "Whatever the kiosk says", "action": "joined"}
    assert post(hub, "/api/v1/audit", json.dumps({"entries": [entry]})).status_code == 200
    audit = admin.get("/staff/audit.csv")
    assert audit.status_code == 200
    assert "'=HYPERLINK" in audit.text and ',=HYPERLINK' not in audit.text


def test_a_kiosk_speaks_only_for_staff_of_its_site_about_the_recent_past(hub: HubServer) -> None:
    """L3: audit entries and assisted submissions name a real member of staff who may assist at
    the kiosk's site; audit times are neither in the future nor months back."""
    hub.staff_get("/staff/cases")
    with hub.state.sessions() as session:
        admin_id = session.scalar(select(StaffUser.id).where(StaffUser.username == TEST_ADMIN[0]))
        create_staff(session, "elsewhere", "Elle Elsewhere", "officer", "a-long-password-1", site="other-site")
        elsewhere = session.scalar(select(StaffUser.id).where(StaffUser.username == "elsewhere"))
        analyst = create_staff(session, "counter", "Cal Counter", "insight", "a-long-password-2").id

    def entry(staff_id: int | None, days_ago: float = 0) -> str:
        at = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
        return json.dumps({"entries": [{"id": uuid.uuid4().hex, "at": at.isoformat(), "staff_id": staff_id,
                                        "staff_name": "Someone", "action": "joined"}]})

    assert post(hub, "/api/v1/audit", entry(admin_id)).status_code == 200
    with hub.state.sessions() as session:  # named as the hub knows them (L7), not as the kiosk wrote
        names = set(session.scalars(select(AuditEntry.staff_name).where(AuditEntry.staff_id == admin_id)))
    assert "Someone" not in names and names
    for staff_id in (999999, elsewhere, analyst):
        r = post(hub, "/api/v1/audit", entry(staff_id))
        assert r.status_code == 422 and "cannot assist at this kiosk's site" in r.json()["detail"]
    assert post(hub, "/api/v1/audit", entry(admin_id, days_ago=60)).status_code == 422
    assert post(hub, "/api/v1/audit", entry(admin_id, days_ago=-1)).status_code == 422
    for staff_id in (999999, elsewhere):
        r = post(hub, "/api/v1/submissions", json.dumps(submission(officer_id=staff_id)))
        assert r.status_code == 422 and "cannot assist" in r.json()["detail"]
    assert post(hub, "/api/v1/submissions", json.dumps(submission(officer_id=admin_id))).status_code == 201


def test_an_idempotency_key_belongs_to_one_kiosk_and_one_submission(hub: HubServer) -> None:
    """Security review L8: a retry replays; the same key with another body, or from another
    kiosk, is refused instead of silently answered with the first case."""
    key = uuid.uuid4().hex
    first = submission()
    assert post(hub, "/api/v1/submissions", json.dumps(first), **{"Idempotency-Key": key}).status_code == 201
    again = post(hub, "/api/v1/submissions", json.dumps(dict(reversed(list(first.items())))),
                 **{"Idempotency-Key": key})
    assert again.status_code == 200 and again.json()["replayed"] is True  # the same, keys in any order
    changed = first | {"answers": {"bin_type": "recycling"}}
    r = post(hub, "/api/v1/submissions", json.dumps(changed), **{"Idempotency-Key": key})
    assert r.status_code == 422 and r.json()["detail"] == "Idempotency-Key was already used for a different submission"
    other_kiosk = hub.new_device(f"kiosk-{uuid.uuid4().hex[:6]}")
    r = post(hub, "/api/v1/submissions", json.dumps(first), token=other_kiosk, **{"Idempotency-Key": key})
    assert r.status_code == 422
    case = hub.case(first["reference"])
    assert case is not None and hub.answers(case) == {"bin_type": "general"}
