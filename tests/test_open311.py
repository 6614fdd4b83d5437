"""The Open311 connector, relaying through the hub's durable queue to a GeoReport v2 server."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from hub.db import AuditEntry, Case
from hub.staff import create_staff
from tests.georeport import ERROR_PAGE, GeoReport, georeport_server
from tests.hubserver import HubServer, sign_in, start_hub
from tests.resident import Kiosk, make_kiosk

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def back_office() -> Iterator[GeoReport]:
    with georeport_server() as server:
        yield server


@pytest.fixture
def open311_hub(tmp_path: Path, back_office: GeoReport) -> Iterator[HubServer]:
    journeys = tmp_path / "journeys"
    shutil.copytree(ROOT / "config" / "journeys", journeys)
    for name in ("missed-bin.toml", "fly-tipping.toml"):
        path = journeys / name
        path.write_text(path.read_text().replace('connector = "inbox"', 'connector = "open311"'))
    server = start_hub(tmp_path / "hub", open311_url=back_office.url, journeys_dir=journeys)
    yield server
    server.stop()


def report(kiosk: Kiosk) -> str:
    kiosk.start("missed-bin")
    kiosk.find_address("address", "TS18 1AU", index=0)
    kiosk.choose("bin_type", "garden")
    kiosk.choose("garden_subscribed", "yes")
    kiosk.date("when", "17", "11", "2026")
    kiosk.cont()
    kiosk.choose("where_left", "back_lane")
    kiosk.type("input_details", "Bin was out at 6am")
    kiosk.cont()
    kiosk.type("input_email", "res@example.com")
    kiosk.cont()
    kiosk.wait_page("check_answers")
    kiosk.tap("continue")
    kiosk.wait_page("confirmation")
    kiosk.qtbot.waitUntil(lambda: kiosk.label_text("send_status").startswith("Sent"), timeout=5000)
    return kiosk.label_text("reference")


def test_missed_bin_reaches_the_back_office_as_georeport(qtbot, qasync_loop, open311_hub: HubServer,  # type: ignore[no-untyped-def]
                                                         back_office: GeoReport, tmp_path: Path) -> None:
    kiosk = make_kiosk(qtbot, open311_hub, tmp_path / "kiosk")
    try:
        reference = report(kiosk)
    finally:
        kiosk.close()
    qtbot.waitUntil(lambda: (c := open311_hub.case(reference)) is not None and c.relay_state == "sent", timeout=10000)
    form = back_office.received[-1]
    assert form["service_code"] == "MISSED_BIN"
    assert form["api_key"] == "test-api-key"
    assert form["address_string"] == "1 High Street, Stockton-on-Tees, TS18 1AU"
    assert form["address_id"] == "900000000001"
    assert form["email"] == "res@example.com"
    assert form["attribute[bin_type]"] == "garden"
    assert form["attribute[missed_date]"] == "2026-11-17"
    # Placed by coordinates, not only words: the demo gazetteer's easting 444612, northing 518909
    # (British National Grid) is 54.5635 N, 1.3116 W, in Stockton-on-Tees.
    assert abs(float(form["lat"]) - 54.5635) < 0.0005 and abs(float(form["long"]) + 1.3116) < 0.0005
    assert form["description"].split("\n") == [
        f"Kiosk reference {reference}", "Address: 1 High Street, Stockton-on-Tees, TS18 1AU",
        "Bin: Garden waste (brown bin)", "Due on: 17 November 2026", "Left at: In the back lane",
        "Other details: Bin was out at 6am"]
    case = open311_hub.case(reference)
    assert case is not None and case.external_id.startswith("SR")


def test_back_office_outage_retries_with_backoff_then_delivers_once(qtbot, qasync_loop, open311_hub: HubServer,  # type: ignore[no-untyped-def]
                                                                  back_office: GeoReport, tmp_path: Path) -> None:
    back_office.fail_first = 2
    back_office.use_token = True
    kiosk = make_kiosk(qtbot, open311_hub, tmp_path / "kiosk")
    try:
        reference = report(kiosk)
    finally:
        kiosk.close()
    qtbot.waitUntil(lambda: (c := open311_hub.case(reference)) is not None and c.relay_state == "sent", timeout=15000)
    case = open311_hub.case(reference)
    assert case is not None
    assert case.relay_attempts == 3  # two refusals, then accepted
    assert case.external_id == "tok-1"
    assert len(back_office.received) == 1


def test_a_refusal_marks_the_case_failed_with_the_reason(qtbot, qasync_loop, open311_hub: HubServer,  # type: ignore[no-untyped-def]
                                                       back_office: GeoReport, tmp_path: Path) -> None:
    back_office.api_key = "rotated-key"
    kiosk = make_kiosk(qtbot, open311_hub, tmp_path / "kiosk")
    try:
        reference = report(kiosk)
    finally:
        kiosk.close()
    qtbot.waitUntil(lambda: (c := open311_hub.case(reference)) is not None and c.relay_state == "failed",
                    timeout=10000)
    case = open311_hub.case(reference)
    assert case is not None
    assert case.relay_error == "HTTP 403: 403 Invalid api_key received"
    assert case.reference == reference  # the resident's reference still tracks it
    assert back_office.received == []
    # The staff case page shows each try and why; the cases page raises the alarm.
    page = open311_hub.staff_get(f"/staff/cases/{reference}")
    assert "failed" in page and "Invalid api_key received" in page
    assert "1 case could not be passed to the back office" in open311_hub.staff_get("/staff/cases")
    health = httpx.get(f"{open311_hub.url}/api/v1/health").json()
    assert health["relay"]["failed"] == 1 and health["alerts"]

    # An officer of another site may not send it again; once the key is fixed, an admin does.
    with open311_hub.state.sessions() as session:
        create_staff(session, "ola", "Ola Elsewhere", "officer", "officer-password-9", site="other-site")
    elsewhere = sign_in(open311_hub, ("ola", "officer-password-9"))
    try:
        csrf = re.search(r'name="csrf" value="([^"]+)"', elsewhere.get("/staff/cases").text)
        assert csrf is not None
        refused = elsewhere.post(f"/staff/cases/{reference}/resend", data={"csrf": csrf.group(1)})
        assert refused.status_code == 403
    finally:
        elsewhere.close()
    back_office.api_key = "test-api-key"
    page = open311_hub.staff_get(f"/staff/cases/{reference}")
    assert "Send again" in page
    admin = open311_hub.admin
    assert admin is not None
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token is not None
    assert admin.post(f"/staff/cases/{reference}/resend", data={"csrf": "wrong"}).status_code == 403
    sent = admin.post(f"/staff/cases/{reference}/resend", data={"csrf": token.group(1)})
    assert sent.status_code == 303
    assert admin.post(f"/staff/cases/{reference}/resend", data={"csrf": token.group(1)}).status_code == 409
    qtbot.waitUntil(lambda: (c := open311_hub.case(reference)) is not None and c.relay_state == "sent",
                    timeout=10000)
    assert len(back_office.received) == 1
    page = open311_hub.staff_get(f"/staff/cases/{reference}")
    assert "another try asked for by Tess Admin" in page and "accepted as SR1001" in page
    with open311_hub.state.sessions() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "resent_case"))
        assert entry is not None and entry.detail == reference and entry.staff_name == "Tess Admin"


def test_form_building_and_reply_parsing() -> None:

    from hub.connectors.base import PermanentRelayError, TransientRelayError
    from hub.connectors.open311 import parse_reply

    assert parse_reply(httpx.Response(201, json=[{"service_request_id": "7"}])) == "7"
    assert parse_reply(httpx.Response(201, json=[{"token": "t"}])) == "t"
    with pytest.raises(PermanentRelayError, match="400 Service code X was not found"):
        parse_reply(httpx.Response(400, json=[{"code": 400, "description": "Service code X was not found"}]))
    with pytest.raises(TransientRelayError):
        parse_reply(httpx.Response(200, text="<html>"))
    with pytest.raises(TransientRelayError):
        parse_reply(httpx.Response(201, json={"service_request_id": "7"}))
    with pytest.raises(TransientRelayError):
        parse_reply(httpx.Response(201, json=[{}]))
    with pytest.raises(TransientRelayError):
        parse_reply(httpx.Response(500, json=[{"code": 500, "description": "db down"}]))


def test_tracking_shows_what_the_back_office_says(qtbot, qasync_loop, open311_hub: HubServer,  # type: ignore[no-untyped-def]
                                                back_office: GeoReport, tmp_path: Path) -> None:
    kiosk = make_kiosk(qtbot, open311_hub, tmp_path / "kiosk")
    try:
        reference = report(kiosk)
        qtbot.waitUntil(lambda: (c := open311_hub.case(reference)) is not None and c.relay_state == "sent",
                        timeout=10000)
        case = open311_hub.case(reference)
        assert case is not None
        # "open" is what every new request is: still "Received", not "In progress".
        page = httpx.get(f"{open311_hub.url}/track/{reference}")
        assert "Received. We have your request" in page.text and back_office.status_reads == 1
        # Page views within the refresh time do not ask the back office again.
        back_office.statuses[case.external_id] = ("closed", "Bin emptied on 18 November for Mrs Jones")
        for _ in range(3):
            assert "Received. We have your request" in httpx.get(f"{open311_hub.url}/track/{reference}").text
        assert back_office.status_reads == 1
        with open311_hub.state.sessions() as session:  # the refresh time has passed
            stored = session.scalar(select(Case).where(Case.reference == reference))
            assert stored is not None
            stored.status_checked_at = stored.status_checked_at - dt.timedelta(minutes=6)
            session.commit()
        page = httpx.get(f"{open311_hub.url}/track/{reference}")
        assert "Done. This request is closed." in page.text and back_office.status_reads == 2
        # Notes are written for staff (a name here): not public unless the council allows it.
        assert "Closed by the team" in page.text and "Mrs Jones" not in page.text
        # The kiosk's "Track a request" shows the same, from the same place.
        kiosk.start("track-request")
        kiosk.type("input_reference", reference)
        kiosk.cont()
        kiosk.wait_page("result")
        assert "Done. This request is closed." in kiosk.texts()
    finally:
        kiosk.close()


def test_tracking_shows_notes_where_the_council_allows(qtbot, qasync_loop, back_office: GeoReport,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    journeys = tmp_path / "journeys"
    shutil.copytree(ROOT / "config" / "journeys", journeys)
    path = journeys / "missed-bin.toml"
    path.write_text(path.read_text().replace('connector = "inbox"', 'connector = "open311"'))
    hub = start_hub(tmp_path / "hub", open311_url=back_office.url, journeys_dir=journeys,
                    open311_extra={"show_status_notes": True})
    kiosk = make_kiosk(qtbot, hub, tmp_path / "kiosk")
    try:
        reference = report(kiosk)
        qtbot.waitUntil(lambda: (c := hub.case(reference)) is not None and c.relay_state == "sent", timeout=10000)
        case = hub.case(reference)
        assert case is not None
        back_office.statuses[case.external_id] = ("open", "Crew booked for Thursday")
        page = httpx.get(f"{hub.url}/track/{reference}")
        assert "In progress" in page.text and "Being dealt with by the team: Crew booked for Thursday" in page.text
        # Written for staff, so it may name someone: encrypted at rest like answers (L7).
        stored = hub.stored_bytes()
        assert stored and b"Crew booked" not in stored
    finally:
        kiosk.close()
        hub.stop()


@pytest.fixture
def wild_hub(tmp_path: Path, back_office: GeoReport) -> Iterator[HubServer]:
    """A hub relaying to a back office that behaves like real ones, with a short timeout."""
    back_office.wild = True
    journeys = tmp_path / "journeys"
    shutil.copytree(ROOT / "config" / "journeys", journeys)
    for name in ("missed-bin.toml", "fly-tipping.toml"):
        path = journeys / name
        path.write_text(path.read_text().replace('connector = "inbox"', 'connector = "open311"'))
    server = start_hub(tmp_path / "hub", open311_url=back_office.url, journeys_dir=journeys, open311_timeout=0.5)
    yield server
    server.stop()


def test_a_back_office_as_found_in_the_wild_gets_every_case_once(qtbot, qasync_loop, wild_hub: HubServer,  # type: ignore[no-untyped-def]
                                                                back_office: GeoReport, tmp_path: Path) -> None:
    """Coordinates required, attributes dropped, and a reply slower than the hub's timeout:
    the hub looks for the case before posting again, so the back office has it once."""
    back_office.hold = True
    kiosk = make_kiosk(qtbot, wild_hub, tmp_path / "kiosk")
    try:
        reference = report(kiosk)
        # The first post timed out with the case made; the next try finds it and stops.
        qtbot.waitUntil(lambda: (c := wild_hub.case(reference)) is not None and c.relay_state == "sent",
                        timeout=15000)
    finally:
        back_office.release.set()
        kiosk.close()
    assert back_office.posts == 1 and len(back_office.received) == 1
    case = wild_hub.case(reference)
    assert case is not None and case.external_id == "SR1001"
    form = back_office.received[0]
    assert "attribute[bin_type]" not in form  # dropped by the server: the description carries it
    assert "Bin: Garden waste (brown bin)" in form["description"] and "Due on: 17 November 2026" in form["description"]
    page = wild_hub.staff_get(f"/staff/cases/{reference}")
    assert "ReadTimeout" in page and "accepted as SR1001" in page


def test_every_shape_of_refusal_becomes_a_readable_reason() -> None:

    from hub.connectors.base import PermanentRelayError, TransientRelayError
    from hub.connectors.open311 import parse_reply

    def refused(response: httpx.Response) -> str:
        with pytest.raises(PermanentRelayError) as caught:
            parse_reply(response)
        return str(caught.value)

    assert refused(httpx.Response(400, json={"code": 400, "detail": ["lat is required", "long is required"]})) \
        == "HTTP 400: 400 lat is required; long is required"
    assert refused(httpx.Response(422, json={"detail": [{"loc": ["body", "service_code"], "msg": "field required"}]})) \
        == "HTTP 422: service_code: field required"
    assert refused(httpx.Response(401, json={"detail": "Not authenticated"})) == "HTTP 401: Not authenticated"
    assert refused(httpx.Response(404, text="<html><title>404 Not Found</title><h1>Not Found</h1></html>")) \
        == "HTTP 404: 404 Not Found - Not Found"
    # Worth another try: timeouts, throttling (with the wait asked for), server errors.
    for status in (408, 429, 500, 502, 503):
        with pytest.raises(TransientRelayError):
            parse_reply(httpx.Response(status, text="busy"))
    with pytest.raises(TransientRelayError) as slow:
        parse_reply(httpx.Response(429, headers={"Retry-After": "120"}, json={"message": "Too many requests"}))
    assert slow.value.retry_after == 120 and str(slow.value) == "HTTP 429: Too many requests"
    with pytest.raises(TransientRelayError) as page:
        parse_reply(httpx.Response(500, text=ERROR_PAGE.decode()))
    assert str(page.value) == "HTTP 500: 500 Internal Server Error - Internal Server Error"


def test_retry_after_is_honoured(qtbot, qasync_loop, open311_hub: HubServer,  # type: ignore[no-untyped-def]
                                 back_office: GeoReport, tmp_path: Path) -> None:
    back_office.refuse_with = 429
    back_office.refuse_headers = {"Retry-After": "3600"}
    kiosk = make_kiosk(qtbot, open311_hub, tmp_path / "kiosk")
    try:
        reference = report(kiosk)
    finally:
        kiosk.close()
    qtbot.waitUntil(lambda: (c := open311_hub.case(reference)) is not None and c.relay_attempts == 1, timeout=10000)
    case = open311_hub.case(reference)
    assert case is not None and case.relay_state == "pending"
    # The hub's own backoff here is at most a second: the back office asked for an hour.
    wait = (case.next_relay_at - case.received_at).total_seconds()
    assert 3500 < wait < 3700, wait
    assert back_office.posts == 1
