"""The Open311 connector, relaying through the hub's durable queue to a GeoReport v2 server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.georeport import GeoReport, georeport_server
from tests.hubserver import HubServer, start_hub
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
    assert form["description"].startswith(f"Kiosk reference {reference}.")
    assert "Other details: Bin was out at 6am" in form["description"]
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


def test_form_building_and_reply_parsing() -> None:
    import httpx

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
    import httpx

    kiosk = make_kiosk(qtbot, open311_hub, tmp_path / "kiosk")
    try:
        reference = report(kiosk)
        qtbot.waitUntil(lambda: (c := open311_hub.case(reference)) is not None and c.relay_state == "sent",
                        timeout=10000)
        case = open311_hub.case(reference)
        assert case is not None
        back_office.statuses[case.external_id] = ("closed", "Bin emptied on 18 November")
        page = httpx.get(f"{open311_hub.url}/track/{reference}")
        assert "Done. This request is closed." in page.text
        assert "Closed by the team: Bin emptied on 18 November" in page.text
        # The kiosk's "Track a request" shows the same, from the same place.
        kiosk.start("track-request")
        kiosk.type("input_reference", reference)
        kiosk.cont()
        kiosk.wait_page("result")
        assert "Done. This request is closed." in kiosk.texts()
    finally:
        kiosk.close()
