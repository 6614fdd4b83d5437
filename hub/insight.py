"""Insight: usage events in, daily counts out. Anonymous by construction: an event is a set of
ids and fixed codes, validated against the journeys, and nothing else is accepted."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hub.db import InsightCount, InsightEvent, insert_for, utcnow
from kiosk.workflows.messages import EventIn


class EventError(ValueError):
    pass


#: The step ids of every published version of a journey (None: no such journey); with
#: fresh=True, read again (another hub process may have published a version since).
StepsOf = Callable[[str, bool], "set[str] | None"]


def check_event(event: EventIn, steps_of: StepsOf) -> None:
    """Journey and step must be real ids from the journey files (of any published version: a
    kiosk not yet updated names the steps it asks): no room for free text."""
    if event.journey is not None:
        steps = steps_of(event.journey, False)
        if steps is None or (event.step is not None and event.step not in steps):
            steps = steps_of(event.journey, True)
        if steps is None:
            raise EventError(f"event {event.id}: unknown journey {event.journey!r}")
        if event.step is not None and event.step not in steps:
            raise EventError(f"event {event.id}: journey {event.journey!r} has no step {event.step!r}")
    elif event.step is not None:
        raise EventError(f"event {event.id}: a step needs its journey")


def _metrics(session: Session, event: EventIn) -> list[tuple[str, str]]:
    j, s = event.journey or "-", event.step or "-"
    match event.kind:
        case "session_started":
            out = [("sessions", ""), ("language", event.language or "en")]
            chosen: list[str] = list(event.settings or []) or ["none"]
            return out + [("accessibility", x) for x in chosen]
        case "journey_started":
            return [("started", j)]
        case "step_reached":
            seen = session.scalar(select(InsightEvent.id).where(
                InsightEvent.session_id == event.session, InsightEvent.kind == "step_reached",
                InsightEvent.journey == j, InsightEvent.step == s, InsightEvent.id != event.id))
            return [] if seen else [("reached", f"{j}/{s}")]  # once per session, however often
        case "validation_error":
            return [("errors", f"{j}/{s}/{event.part or '-'}/{event.error_kind or 'format'}")]
        case "journey_left":
            return [("left", f"{j}/{s}/{event.reason or '-'}")]
        case "submitted":
            return [("finished", j), ("channel", event.channel or "self-service")]
        case "lookup_finished":
            return [("finished", j), ("channel", "self-service")]
        case "help_requested":
            return [("help", j)]
        case "why_answer":
            return [("why", event.reason or "other")]
        case "handoff_started" | "handoff_completed":
            return [(event.kind, j)]
    return []


def ingest(session: Session, events: list[EventIn], steps_of: StepsOf, site: str, kiosk_id: str) -> int:
    """Store new events and count them; an id seen before changes nothing. All or nothing."""
    for event in events:
        check_event(event, steps_of)
    new = 0
    for event in events:
        at = event.at.astimezone(dt.UTC).replace(tzinfo=None) if event.at.tzinfo else event.at
        # Stored and counted only by whichever request (in whichever hub process) stores it first.
        stored = session.scalar(insert_for(session, InsightEvent).values(
            id=event.id, kind=event.kind, at=at, session_id=event.session, site=site, kiosk_id=kiosk_id,
            journey=event.journey or "", step=event.step or "").on_conflict_do_nothing()
            .returning(InsightEvent.id))
        if stored is None:
            continue
        for metric, key in _metrics(session, event):
            add_count(session, at.date(), site, metric, key)
        new += 1
    session.commit()
    return new


def add_count(session: Session, day: dt.date, site: str, metric: str, key: str) -> None:
    """One more in a daily count: the one way every count at the hub goes up. In the database,
    in one statement: two hub processes counting at once both count."""
    add = insert_for(session, InsightCount).values(day=day, site=site, metric=metric, key=key, count=1)
    session.execute(add.on_conflict_do_update(index_elements=["day", "site", "metric", "key"],
                                              set_={"count": InsightCount.count + 1}))


def sweep(session: Session, retention_days: int, now: dt.datetime | None = None) -> int:
    """Delete raw events past their retention; the daily counts are kept."""
    cutoff = (now or utcnow()) - dt.timedelta(days=retention_days)
    result = session.execute(delete(InsightEvent).where(InsightEvent.at < cutoff))
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass
class Counts:
    by_metric: dict[str, dict[str, int]]

    def get(self, metric: str, key: str = "") -> int:
        return self.by_metric.get(metric, {}).get(key, 0)

    def items(self, metric: str) -> dict[str, int]:
        return self.by_metric.get(metric, {})

    @classmethod
    def total(cls, many: Iterable[Counts]) -> Counts:
        out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for c in many:
            for metric, keys in c.by_metric.items():
                for key, n in keys.items():
                    out[metric][key] += n
        return cls({m: dict(v) for m, v in out.items()})


def counts_by_site(session: Session, start: dt.date, end: dt.date) -> dict[str, Counts]:
    """Every site's counts between two days (inclusive): the report needs them all, even for one
    site, to know what subtraction would give away."""
    query = select(InsightCount).where(InsightCount.day >= start, InsightCount.day <= end)
    out: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for row in session.scalars(query):
        out[row.site][row.metric][row.key] += row.count
    return {site: Counts({m: dict(v) for m, v in metrics.items()}) for site, metrics in out.items()}


def counts(session: Session, start: dt.date, end: dt.date, site: str | None) -> Counts:
    by_site = counts_by_site(session, start, end)
    return by_site.get(site, Counts({})) if site else Counts.total(by_site.values())


def sites(session: Session) -> list[str]:
    return sorted(set(session.scalars(select(InsightCount.site).distinct())))
