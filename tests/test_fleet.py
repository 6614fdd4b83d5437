"""The fleet: a real kiosk's heartbeat reaches a real hub, the staff fleet page and /metrics show
it and raise alerts, and neither takes anything but codes and counts, nor shows more than a
member of staff's site."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import update

from hub.db import Heartbeat
from hub.staff import create_staff
from kiosk import __version__
from kiosk.vitals import journeys_digest
from tests.hubserver import TEST_ADMIN, HubServer, sign_in, start_hub
from tests.resident import Kiosk

BEAT = {"software_version": "0.2.0", "journeys_version": "ab12", "config_version": "cd34", "outbox_queued": 0,
        "outbox_oldest_seconds": 0, "outbox_held": 0, "outbox_quarantined": 0, "last_error": "",
        "uptime_seconds": 60, "free_disk_mb": 9000, "screen": "attract"}


def beat_of(hub: HubServer, kiosk_id: str) -> Heartbeat | None:
    with hub.state.sessions() as session:
        return session.get(Heartbeat, kiosk_id)


def row_of(page: str, kiosk_id: str) -> str:
    found = re.search(rf'<th scope="row" class="govuk-table__header">{kiosk_id}</th>(.*?)</tr>', page, re.S)
    assert found is not None, page
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def test_a_kiosk_reports_and_a_silent_one_raises_an_alert(kiosk: Kiosk, hub: HubServer) -> None:
    vitals = kiosk.services.worker.vitals
    assert vitals is not None
    started = dt.datetime.fromtimestamp(int(vitals.started), dt.UTC).replace(tzinfo=None)

    def reported() -> bool:  # by this kiosk (an earlier test's kiosk had the same name)
        beat = beat_of(hub, "test-kiosk")
        return beat is not None and beat.reported_at >= started

    kiosk.qtbot.waitUntil(reported, timeout=10000)
    beat = beat_of(hub, "test-kiosk")
    assert beat is not None
    assert (beat.software_version, beat.journeys_version) == (__version__, journeys_digest(kiosk.services.journeys))
    assert (beat.screen, beat.outbox_queued, beat.last_error, beat.site) == ("attract", 0, "", "test-site")
    assert beat.free_disk_mb > 0 and len(beat.config_version) == 16
    assert row_of(hub.staff_get("/staff/fleet"), "test-kiosk").startswith("OK Just now attract 0 waiting")

    # Seven minutes without a word: the page and /metrics both say so.
    with hub.state.sessions() as session:
        session.execute(update(Heartbeat).where(Heartbeat.kiosk_id == "test-kiosk")
                        .values(reported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=7)))
        session.commit()
    assert "Needs attention Not reporting for 7 minutes" in row_of(hub.staff_get("/staff/fleet"), "test-kiosk")
    metrics = httpx.get(f"{hub.url}/metrics", auth=TEST_ADMIN).text
    assert 'kiosk_reporting{kiosk="test-kiosk",site="test-site"} 0.0' in metrics
    assert re.search(r'kiosk_heartbeat_age_seconds\{kiosk="test-kiosk",site="test-site"\} 4[23]\d\.', metrics)
    assert f'software="{__version__}"' in metrics and "hub_cases_failed" in metrics


@pytest.fixture(scope="module")
def fleet_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubServer]:
    """A hub of this module's own: the kiosks made here must not alert on the shared hub."""
    server = start_hub(tmp_path_factory.mktemp("fleet"))
    yield server
    server.stop()


def test_a_heartbeat_carries_codes_and_counts_only(fleet_hub: HubServer) -> None:
    hub = fleet_hub
    token = hub.new_device("fleet-codes", "test-site")
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"}) as c:
        assert c.post("/api/v1/heartbeat", json=BEAT).status_code == 200
        for field, text in (("screen", "Mrs Smith, 1 High Street"), ("last_error", "cannot send AB12 3CD"),
                            ("software_version", "1.0 (Mrs Smith)"), ("journeys_version", "not-hex")):
            refused = c.post("/api/v1/heartbeat", json={**BEAT, field: text})
            assert refused.status_code == 422, field
        assert c.post("/api/v1/heartbeat", json={**BEAT, "outbox_queued": -1}).status_code == 422
    beat = beat_of(hub, "fleet-codes")
    assert beat is not None and beat.screen == "attract"  # nothing refused was stored
    assert httpx.post(f"{hub.url}/api/v1/heartbeat", json=BEAT).status_code == 401  # kiosks only


def test_staff_see_their_own_sites_kiosks_and_metrics_need_a_role(fleet_hub: HubServer) -> None:
    hub = fleet_hub
    far = hub.new_device("fleet-far-away", "another-site")
    assert httpx.post(f"{hub.url}/api/v1/heartbeat", json={**BEAT, "outbox_held": 2},
                      headers={"Authorization": f"Bearer {far}"}).status_code == 200
    with hub.state.sessions() as session:
        create_staff(session, "fran", "Fran Officer", "officer", "fleet-officer-pass-1", site="test-site")
        create_staff(session, "ian", "Ian Insight", "insight", "fleet-insight-pass-1")
    officer = sign_in(hub, ("fran", "fleet-officer-pass-1"))
    try:
        page = officer.get("/staff/fleet").text
        assert "fleet-far-away" not in page and "test-kiosk" in page
    finally:
        officer.close()
    assert "2 refused and held" in row_of(hub.staff_get("/staff/fleet"), "fleet-far-away")
    assert httpx.get(f"{hub.url}/metrics").status_code == 401
    assert httpx.get(f"{hub.url}/metrics", auth=("ian", "fleet-insight-pass-1")).status_code == 403
    mine = httpx.get(f"{hub.url}/metrics", auth=("fran", "fleet-officer-pass-1"))
    assert mine.status_code == 200 and "fleet-far-away" not in mine.text and 'kiosk="test-kiosk"' in mine.text
    assert "hub_cases_failed" not in mine.text  # the council-wide relay is the admins' business
