"""Relay worker: delivers stored cases to their connector, retrying with backoff.

The cases table is the durable queue: a case is ``pending`` until a connector accepts it,
so a hub restart simply picks up where it stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hub.config import RelaySettings
from hub.connectors.base import Connector, Outgoing, PermanentRelayError, TransientRelayError
from hub.crypto import Sealer
from hub.db import Case, CaseUpdate, utcnow
from kiosk.workflows.model import Journey

log = logging.getLogger("hub.relay")


class RelayWorker:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        sealer: Sealer,
        journeys: dict[str, Journey],
        connectors: dict[str, Connector],
        settings: RelaySettings,
    ) -> None:
        self._sessions = sessions
        self._sealer = sealer
        self._journeys = journeys
        self._connectors = connectors
        self._settings = settings
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                await self.relay_due()
            except Exception:  # keep relaying whatever one case does
                log.exception("relay pass failed")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._settings.poll_seconds):
                    await self._wake.wait()
            self._wake.clear()

    async def relay_due(self) -> int:
        """Try every case that is due; returns how many were delivered."""
        with self._sessions() as session:
            due = session.scalars(
                select(Case.id).where(Case.relay_state == "pending", Case.next_relay_at <= utcnow())
            ).all()
        delivered = 0
        for case_id in due:
            delivered += await self._relay_one(case_id)
        return delivered

    async def _relay_one(self, case_id: int) -> int:
        with self._sessions() as session:
            case = session.get(Case, case_id)
            if case is None or case.relay_state != "pending":
                return 0
            journey = self._journeys.get(case.journey_id)
            connector = self._connectors.get(case.connector)
            if journey is None or connector is None:
                self._fail(session, case, f"no journey or connector '{case.connector}' configured")
                return 0
            payload = self._sealer.open(case.sealed)
            outgoing = Outgoing(case.reference, journey, payload["answers"], payload["summary"], case.channel)
        try:
            external_id = await connector.send(outgoing)
        except PermanentRelayError as exc:
            with self._sessions() as session:
                case = session.get(Case, case_id)
                assert case is not None
                self._fail(session, case, str(exc))
            return 0
        except (TransientRelayError, Exception) as exc:
            with self._sessions() as session:
                case = session.get(Case, case_id)
                assert case is not None
                case.relay_attempts += 1
                delay = min(
                    self._settings.first_retry_seconds * 2 ** (case.relay_attempts - 1),
                    self._settings.max_retry_seconds,
                )
                case.next_relay_at = utcnow() + dt.timedelta(seconds=delay)
                case.relay_error = str(exc)[:500]
                session.commit()
                log.warning("relay of %s failed (attempt %d), retry in %ss", case.reference, case.relay_attempts, delay)
            return 0
        with self._sessions() as session:
            case = session.get(Case, case_id)
            assert case is not None
            case.relay_state = "sent"
            case.relay_attempts += 1
            case.external_id = external_id[:64]
            case.relay_error = ""
            if case.connector != "inbox":
                session.add(CaseUpdate(case_id=case.id, text="Passed to the team that deals with it"))
            session.commit()
        log.info("relayed %s via %s", outgoing.reference, connector.name)
        return 1

    @staticmethod
    def _fail(session: Session, case: Case, error: str) -> None:
        case.relay_state = "failed"
        case.relay_attempts += 1
        case.relay_error = error[:500]
        session.commit()
        log.error("relay of %s failed for good: %s", case.reference, error)
