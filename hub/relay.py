"""Relay worker: delivers stored cases to their connector, retrying with backoff.

The cases table is the durable queue: a case is ``pending`` until a connector accepts it,
so a hub restart simply picks up where it stopped. Several hub processes may relay from one
database: each **claims** the cases it will send with a lease (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, and a conditional update everywhere), so no case is sent by two at once; a process
that dies mid-send gives its cases up when the lease runs out, and the next try looks for the
case at the back office before posting it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import secrets
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from hub.config import RelaySettings
from hub.connectors.base import Connector, Outgoing, PermanentRelayError, TransientRelayError
from hub.crypto import Sealer
from hub.db import Case, CaseUpdate, Device, RelayAttempt, utcnow
from kiosk.workflows.model import Journey

log = logging.getLogger("hub.relay")
#: A Retry-After longer than a day is a misconfigured server: try again after a day anyway.
MAX_RETRY_AFTER = 86400.0
#: How long a claim on a case lasts: far longer than any send (connectors time out in seconds).
LEASE = dt.timedelta(minutes=5)
#: Cases claimed at a time: a process takes its share and leaves the rest to the others.
BATCH = 20
#: After a wake-up, how long to wait for more new cases to relay together (one transaction to
#: claim a batch and one to record it, rather than two for each case). A quarter of a second
#: later at the back office is nothing to a resident, whose reference came at intake; at 100
#: submissions a second it makes batches of 20 rather than 5.
GATHER_SECONDS = 0.25


class RelayWorker:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        sealer: Sealer,
        journey_for: Callable[[str, int], Journey | None],
        connectors: dict[str, Connector],
        settings: RelaySettings,
    ) -> None:
        self._sessions = sessions
        self._sealer = sealer
        #: The journey a case was answered with: its own version, whatever the hub has now.
        self._journey_for = journey_for
        self._connectors = connectors
        self._settings = settings
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        #: The thread the relay's (and the sweeps') database work runs in, off the event loop;
        #: stopped, and waited for, before the hub lets go of its database.
        self.background = ThreadPoolExecutor(1, thread_name_prefix="hub-background")
        #: Who holds a lease: this process (a host, a pid and a random part, for the logs).
        self.owner = f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"

    def wake(self) -> None:
        """Relay now rather than at the next poll; safe to call from a route's worker thread."""
        if self._loop is None or self._wake.is_set():  # already woken: the pass to come sees this case
            return
        with contextlib.suppress(RuntimeError):  # the loop has closed: the hub is stopping
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        while True:
            try:
                await self.relay_due()
            except Exception:  # keep relaying whatever one case does
                log.exception("relay pass failed")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._settings.poll_seconds):
                    await self._wake.wait()
                # Woken by a new case: let the cases arriving with it join the same batch.
                await asyncio.sleep(GATHER_SECONDS)
            self._wake.clear()

    async def relay_due(self) -> int:
        """Try every case that is due and not claimed by another process, a batch at a time;
        returns how many were delivered. The database work runs in worker threads (the event loop
        keeps serving requests): one transaction claims and reads a batch, one records what
        happened to all of it."""
        delivered = 0
        loop = asyncio.get_running_loop()
        while batch := await loop.run_in_executor(self.background, self.claim):
            outcomes: list[tuple[Claimed, str | Exception]] = []
            for claimed in batch:
                try:
                    outcomes.append((claimed, await claimed.connector.send(claimed.outgoing)))
                except Exception as exc:  # refused, TransientRelayError, or anything unforeseen
                    outcomes.append((claimed, exc))
            delivered += await loop.run_in_executor(self.background, self._record, outcomes)
        return delivered

    def claim(self) -> list[Claimed]:
        """Take a lease on up to ``BATCH`` due cases nobody holds, marked as maybe sent (should
        the hub stop while a post is on its way, the next try looks for the case at the back
        office first); what to send for each."""
        now = utcnow()
        with self._sessions() as session:
            db = session.connection()  # Core statements built once (below): this runs for every batch
            candidates = db.execute(_DUE, {"now": now}).all()
            if not candidates:
                return []
            was_uncertain = {row.id: row.relay_uncertain for row in candidates}
            lease = {"ids": list(was_uncertain), "now": now, "owner": self.owner, "until": now + LEASE}
            # Conditional, so that on SQLite (no row locks) two relays cannot both take a case.
            db.execute(_LEASE, lease)
            batch = []
            for row in db.execute(_HELD, lease).all():
                journey = self._journey_for(row.journey_id, row.journey_version)
                connector = self._connectors.get(row.connector)
                if journey is None or connector is None:
                    case = self._released(session, row.id, was_uncertain[row.id])
                    self._fail(session, case, f"no journey or connector '{row.connector}' configured")
                    continue
                try:
                    payload = self._sealer.open(row.sealed)
                except ValueError as exc:  # a data key missing from the settings: tried again later,
                    # with backoff, the reason on the case page; the rest of the batch goes on
                    case = self._released(session, row.id, was_uncertain[row.id])  # nothing was sent
                    self._retry_later(session, case, exc)
                    continue
                batch.append(Claimed(row.id, row.connector, Outgoing(
                    row.reference, journey, payload["answers"], payload["summary"], row.channel,
                    received_at=row.received_at, location=payload.get("location"),
                    maybe_sent=was_uncertain[row.id], kiosk_id=row.kiosk_id, site=row.site), connector))
            session.commit()  # the lease, marked maybe-sent, and any case given up, together
            return batch

    @staticmethod
    def _released(session: Session, case_id: int, uncertain: bool) -> Case:
        case = session.get(Case, case_id)
        assert case is not None
        case.relay_owner = ""
        case.relay_lease_until = None
        case.relay_uncertain = uncertain
        return case

    def _record(self, outcomes: list[tuple[Claimed, str | Exception]]) -> int:
        """What happened to a batch, in one transaction; how many were delivered. Delivered
        cases (nearly all of them) are marked in one statement for the batch."""
        sent = [(claimed, outcome) for claimed, outcome in outcomes if isinstance(outcome, str)]
        with self._sessions() as session:
            if sent:
                db = session.connection()
                db.execute(_MARK_SENT, [{"case_id": c.case_id, "external": ext[:64]} for c, ext in sent])
                db.execute(insert(RelayAttempt), [
                    {"case_id": c.case_id, "outcome": "sent",
                     "reason": "kept in the hub's inbox" if c.connector_name == "inbox" else f"accepted as {ext[:64]}"}
                    for c, ext in sent])
                passed_on = [{"case_id": c.case_id, "text": "Passed to the team that deals with it"}
                             for c, _ in sent if c.connector_name != "inbox"]
                if passed_on:
                    db.execute(insert(CaseUpdate), passed_on)
                by_connector: dict[str, list[str]] = {}
                for c, _ in sent:
                    by_connector.setdefault(c.connector_name, []).append(c.outgoing.reference)
                for name, references in by_connector.items():  # a line a batch, not a case
                    log.info("relayed via %s: %s", name, ", ".join(references))
            for claimed, outcome in outcomes:
                if isinstance(outcome, str):
                    continue
                case = self._released(session, claimed.case_id, claimed.outgoing.maybe_sent)
                if isinstance(outcome, PermanentRelayError):
                    case.relay_uncertain = False  # refused: it is not there
                    self._fail(session, case, str(outcome))
                else:  # try again later
                    self._retry_later(session, case, outcome)
            session.commit()
        return len(sent)

    def _retry_later(self, session: Session, case: Case, exc: Exception) -> None:
        case.relay_attempts += 1
        delay = min(self._settings.first_retry_seconds * 2 ** (case.relay_attempts - 1),
                    self._settings.max_retry_seconds)
        if isinstance(exc, TransientRelayError):
            if exc.retry_after is not None:  # the back office said how long: never sooner
                delay = max(delay, min(exc.retry_after, MAX_RETRY_AFTER))
            case.relay_uncertain = case.relay_uncertain or exc.uncertain
            reason = str(exc)
        else:
            reason = f"{type(exc).__name__}: {exc}"
            log.error("relay of %s failed unexpectedly", case.reference, exc_info=exc)
        case.next_relay_at = utcnow() + dt.timedelta(seconds=delay)
        case.relay_error = reason[:500]
        session.add(RelayAttempt(case_id=case.id, outcome="retry",
                                 reason=f"{reason} (next try in {delay:.0f} s)"[:500]))
        log.warning("relay of %s failed (attempt %d), retry in %ss", case.reference, case.relay_attempts, delay)

    @staticmethod
    def _fail(session: Session, case: Case, error: str) -> None:
        case.relay_state = "failed"
        case.relay_attempts += 1
        case.relay_error = error[:500]
        session.add(RelayAttempt(case_id=case.id, outcome="failed", reason=error[:500]))
        log.error("relay of %s failed for good: %s", case.reference, error)


@dataclass(frozen=True)
class Claimed:
    """A case this process holds the lease on, and what to send."""

    case_id: int
    connector_name: str
    outgoing: Outgoing
    connector: Connector


#: Due cases nobody holds (a lease run out counts as nobody), oldest first, a batch of them.
_FREE = or_(Case.relay_lease_until.is_(None), Case.relay_lease_until < bindparam("now"))
_DUE = (select(Case.id, Case.relay_uncertain)
        .where(Case.relay_state == "pending", Case.next_relay_at <= bindparam("now"), _FREE)
        .order_by(Case.next_relay_at).limit(BATCH).with_for_update(skip_locked=True))
#: The lease on them, marked maybe-sent (should the hub stop mid-send).
_LEASE = (update(Case).where(Case.id.in_(bindparam("ids", expanding=True)), _FREE)
          .values(relay_owner=bindparam("owner"), relay_lease_until=bindparam("until"), relay_uncertain=True))
#: What the relay reads of the cases it holds.
_HELD = select(Case.id, Case.reference, Case.journey_id, Case.journey_version, Case.connector, Case.sealed,
               Case.channel, Case.received_at, Case.kiosk_id, Case.site).where(
    Case.id.in_(bindparam("ids", expanding=True)), Case.relay_owner == bindparam("owner"),
    Case.relay_lease_until == bindparam("until"))
#: A delivered case: sent, its lease given up.
_MARK_SENT = update(Case).where(Case.id == bindparam("case_id")).values(
    relay_state="sent", relay_attempts=Case.relay_attempts + 1, relay_uncertain=False,
    external_id=bindparam("external"), relay_error="", relay_owner="", relay_lease_until=None)


@dataclass(frozen=True)
class RelayAlerts:
    failed: int
    overdue: int
    oldest_pending_minutes: int
    #: (kiosk id, held, set aside) for kiosks whose outbox holds items the hub never got.
    kiosks: tuple[tuple[str, int, int], ...] = ()

    def lines(self, name_kiosks: bool = True) -> list[str]:
        """The alerts in words. `name_kiosks` False for the public health check: counts only, so
        nobody outside learns the fleet's kiosk names (staff pages name them)."""
        out = []
        if self.failed:
            out.append(f"{self.failed} case{'s' if self.failed != 1 else ''} could not be passed to the back "
                       "office and need someone to look")
        if self.overdue:
            out.append(f"{self.overdue} case{'s' if self.overdue != 1 else ''} waiting to be passed on for more "
                       f"than the alert time (the oldest for {self.oldest_pending_minutes} minutes)")
        if self.kiosks and not name_kiosks:
            n = len(self.kiosks)
            out.append(f"{n} kiosk{'s have' if n != 1 else ' has'} items the hub never received "
                       "(see the staff cases page)")
            return out
        for kiosk_id, held, quarantined in self.kiosks:
            parts = ([f"{held} refused and held"] if held else []) + (
                [f"{quarantined} unreadable and set aside"] if quarantined else [])
            out.append(f"Kiosk {kiosk_id} has items the hub never received: {', '.join(parts)} "
                       "(see its maintenance screen)")
        return out


def relay_alerts(sessions: sessionmaker[Session], alert_after_minutes: float) -> RelayAlerts:
    """Failed cases, and cases still not passed on after the alert time."""
    limit = utcnow() - dt.timedelta(minutes=alert_after_minutes)
    with sessions() as session:
        failed = session.scalar(select(func.count()).where(Case.relay_state == "failed")) or 0
        overdue = session.scalar(select(func.count()).where(Case.relay_state == "pending",
                                                            Case.received_at < limit)) or 0
        oldest = session.scalar(select(func.min(Case.received_at)).where(Case.relay_state == "pending"))
        kiosks = tuple((d.kiosk_id, d.outbox_held, d.outbox_quarantined) for d in session.scalars(
            select(Device).where((Device.outbox_held > 0) | (Device.outbox_quarantined > 0),
                                 Device.revoked_at.is_(None)).order_by(Device.kiosk_id)))
    minutes = int((utcnow() - oldest).total_seconds() // 60) if oldest is not None else 0
    return RelayAlerts(failed, overdue, minutes, kiosks)
