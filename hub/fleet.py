"""The fleet: each kiosk's heartbeat (POST /api/v1/heartbeat), the staff fleet page that lists
kiosks by site with their state and alerts, and the same as Prometheus metrics (/metrics)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import HTMLResponse, Response
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.api import DeviceDep, StateDep
from hub.assist import page
from hub.db import Device, Heartbeat, insert_for, utcnow
from hub.permissions import scope_of
from hub.relay import RelayAlerts, relay_alerts
from hub.staff import SignedIn, signed_in
from hub.state import HubState
from kiosk.workflows import messages as m
from kiosk.workflows.structs import dump

api = APIRouter(prefix="/api/v1")
pages = APIRouter()
WhoDep = Annotated[SignedIn, Depends(signed_in)]

#: A kiosk that has not said how it is for this long is "not reporting" (it beats every minute).
STALE_MINUTES = 5
#: A submission waiting this long in a kiosk's outbox means it is not reaching the hub.
OUTBOX_ALERT_MINUTES = 15
LOW_DISK_MB = 500
FAULTS = {"hub_unreachable": "cannot reach the hub", "hub_refused": "the hub refused something it sent",
          "storage": "cannot write to its disk", "other": "an unexpected fault"}


@api.post("/heartbeat", response_model=m.Accepted)
def heartbeat(hub: StateDep, dev: DeviceDep, body: Annotated[m.Heartbeat, Body()]) -> m.Accepted:
    """A kiosk says how it is. The newest heartbeat replaces the last (one row per kiosk)."""
    values = {"site": dev.site, "reported_at": utcnow(), **dump(body)}
    with hub.sessions() as session:
        session.execute(insert_for(session, Heartbeat).values(kiosk_id=dev.kiosk_id, **values)
                        .on_conflict_do_update(index_elements=["kiosk_id"], set_=values))
        found = session.get(Device, dev.id)
        assert found is not None  # the outbox counts the cases page and /health alert on
        found.outbox_queued, found.outbox_held = body.outbox_queued, body.outbox_held
        found.outbox_quarantined, found.outbox_reported_at = body.outbox_quarantined, utcnow()
        session.commit()
    return m.Accepted(accepted=1)


@dataclass
class KioskState:
    kiosk_id: str
    site: str
    beat: Heartbeat | None
    #: Minutes since the last heartbeat (None: never reported).
    silent_minutes: int | None
    alerts: list[str] = field(default_factory=list)

    @property
    def reporting(self) -> bool:
        return self.silent_minutes is not None and self.silent_minutes < STALE_MINUTES


def _minutes(n: int) -> str:
    return f"{n} minute{'s' if n != 1 else ''}"


def kiosk_states(session: Session, site: str | None, now: dt.datetime | None = None) -> list[KioskState]:
    """Every kiosk allowed to call the hub (``site``'s only, if given), by site, with its alerts."""
    now = now or utcnow()
    query = select(Device).where(Device.revoked_at.is_(None)).order_by(Device.site, Device.kiosk_id)
    if site is not None:
        query = query.where(Device.site == site)
    beats = {b.kiosk_id: b for b in session.scalars(select(Heartbeat))}
    out = []
    for device in session.scalars(query):
        beat = beats.get(device.kiosk_id)
        silent = int((now - beat.reported_at).total_seconds() // 60) if beat is not None else None
        state = KioskState(device.kiosk_id, device.site, beat, silent)
        if beat is None:
            state.alerts.append("Has never reported")
        else:
            if silent is not None and silent >= STALE_MINUTES:
                state.alerts.append(f"Not reporting for {_minutes(silent)}")
            if beat.outbox_oldest_seconds >= OUTBOX_ALERT_MINUTES * 60:
                state.alerts.append(f"{beat.outbox_queued} waiting to reach the hub, the oldest for "
                                    f"{_minutes(beat.outbox_oldest_seconds // 60)}")
            if beat.outbox_held or beat.outbox_quarantined:
                state.alerts.append(f"{beat.outbox_held} refused and held, {beat.outbox_quarantined} set aside "
                                    "(see its maintenance screen)")
            if beat.free_disk_mb < LOW_DISK_MB:
                state.alerts.append(f"Disk nearly full ({beat.free_disk_mb} MB free)")
            if beat.last_error:
                state.alerts.append(f"Last fault: {FAULTS.get(beat.last_error, beat.last_error)}")
        out.append(state)
    return out


@pages.get("/staff/fleet", response_class=HTMLResponse)
def fleet_page(request: Request, hub: StateDep, who: WhoDep) -> HTMLResponse:
    site = scope_of(who.user, "fleet")
    with hub.sessions() as session:
        kiosks = kiosk_states(session, site)
    relay = relay_alerts(hub.sessions, hub.settings.relay.alert_after_minutes) if site is None else None
    sites: dict[str, list[KioskState]] = {}
    for k in kiosks:
        sites.setdefault(k.site, []).append(k)
    return page(request, hub, "staff_fleet.html", {
        "user": who.user, "sites": sites, "alerting": sum(1 for k in kiosks if k.alerts),
        # The cases' alerts (the kiosks' own are in the table).
        "relay": replace(relay, kiosks=()).lines() if relay is not None else [], "total": len(kiosks),
        "versions": sorted({k.beat.software_version for k in kiosks if k.beat is not None}),
        "stale": STALE_MINUTES})


class FleetCollector(Collector):
    """Read from the database at each scrape: what every hub process would say alike."""

    def __init__(self, hub: HubState, site: str | None) -> None:
        self._hub = hub
        self._site = site

    def collect(self) -> Iterator[Metric]:
        with self._hub.sessions() as session:
            kiosks = kiosk_states(session, self._site)
        labels = ["kiosk", "site"]
        up = GaugeMetricFamily("kiosk_reporting", "1 if the kiosk sent a heartbeat in the last "
                               f"{STALE_MINUTES} minutes", labels=labels)
        silent = GaugeMetricFamily("kiosk_heartbeat_age_seconds", "Seconds since the kiosk's last heartbeat",
                                   labels=labels)
        alerts = GaugeMetricFamily("kiosk_alerts", "Alerts the fleet page shows for the kiosk", labels=labels)
        info = InfoMetricFamily("kiosk_version", "What the kiosk runs", labels=labels)
        gauges = {name: GaugeMetricFamily(f"kiosk_{name}", text, labels=labels) for name, text in (
            ("outbox_queued", "Submissions waiting in the kiosk's outbox"),
            ("outbox_oldest_seconds", "Age of the oldest submission waiting in the kiosk's outbox"),
            ("outbox_held", "Items the hub refused, held at the kiosk"),
            ("outbox_quarantined", "Unreadable items set aside at the kiosk"),
            ("free_disk_bytes", "Free space on the kiosk's state disk"),
            ("uptime_seconds", "Seconds since the kiosk app started"))}
        now = utcnow()
        for k in kiosks:
            key = [k.kiosk_id, k.site]
            up.add_metric(key, 1 if k.reporting else 0)
            alerts.add_metric(key, len(k.alerts))
            if k.beat is None:
                continue
            b = k.beat
            silent.add_metric(key, (now - b.reported_at).total_seconds())
            info.add_metric(key, {"software": b.software_version, "journeys": b.journeys_version,
                                  "config": b.config_version, "screen": b.screen})
            for name, value in (("outbox_queued", b.outbox_queued), ("outbox_oldest_seconds", b.outbox_oldest_seconds),
                                ("outbox_held", b.outbox_held), ("outbox_quarantined", b.outbox_quarantined),
                                ("free_disk_bytes", b.free_disk_mb * 2**20), ("uptime_seconds", b.uptime_seconds)):
                gauges[name].add_metric(key, value)
        yield from (up, silent, alerts, info, *gauges.values())
        if self._site is None:
            yield from relay_metrics(relay_alerts(self._hub.sessions, self._hub.settings.relay.alert_after_minutes))


def relay_metrics(alerts: RelayAlerts) -> Iterator[GaugeMetricFamily]:
    yield GaugeMetricFamily("hub_cases_failed", "Cases the back office refused for good (need a person)",
                            value=alerts.failed)
    yield GaugeMetricFamily("hub_cases_overdue", "Cases not passed on after the alert time", value=alerts.overdue)
    yield GaugeMetricFamily("hub_relay_oldest_pending_seconds", "Age of the oldest case waiting to be passed on",
                            value=alerts.oldest_pending_minutes * 60)


@pages.get("/metrics", include_in_schema=False)
def metrics(hub: StateDep, who: WhoDep) -> Response:
    """Prometheus' text format, for a council's monitoring: the fleet page's facts and alerts.
    Needs a staff account that may see the fleet (HTTP Basic, as Prometheus' basic_auth sends);
    a site's staff get their site's kiosks only."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(FleetCollector(hub, scope_of(who.user, "fleet")))
    return Response(generate_latest(registry), media_type="text/plain; version=0.0.4; charset=utf-8",
                    headers={"Cache-Control": "no-store"})
