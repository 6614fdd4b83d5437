"""The kiosk API's two busiest database paths, each on a thread of its own.

- **Device checks** (every kiosk call, at the edge): one thread asks the database. A token it
  found valid is remembered for half a minute, so the edge lets that kiosk's next calls in
  without asking; each is then **confirmed** before anything is done for it (a revoked or
  replaced token is refused at once, as before): one query for a whole batch of submissions,
  one per call for the other routes. (What a revoked token can still do for up to half a minute
  is have one body read and refused.)
- **Submissions**: one writer thread stores them, each submission waiting for the commit that
  holds it before it is answered. Whatever arrives while the writer is committing is stored in
  its next transaction, together (group commit): one commit for many cases, one wake-up of the
  relay, no two threads of this process racing for SQLite's write lock (whose busy handler
  sleeps) nor for the interpreter.

Measured against a pool thread per request (bench/hub_load.py, SQLite, 8 clients): p99 185 ->
27 ms, 2.5 -> 1.7 ms of CPU a submission (docs/benchmarks.md). Nothing is acknowledged before
it is committed: a batch that fails is rolled back and its submissions tried again one by one,
so one bad submission fails alone and the rest are stored.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from sqlalchemy.orm import Session, sessionmaker

from hub.cases import ReferenceTaken, StoredCase, already_stored, identity, insert_cases, new_case
from hub.crypto import Sealer
from hub.devices import UNKNOWN_TOKEN, Caller, authenticate_in, bearer_token, hash_token, still_valid
from hub.journey_versions import JourneyVersions
from hub.staff import staff_may_assist
from kiosk.workflows.messages import SubmissionIn
from kiosk.workflows.structs import dump

log = logging.getLogger("hub.intake")
MAX_ANSWERS_BYTES = 64 * 1024
#: Submissions stored in one transaction at most.
BATCH = 64
#: How long a token found valid lets its kiosk past the edge without asking the database.
REMEMBER_SECONDS = 30.0
#: Tokens remembered at most (a fleet has hundreds of kiosks): beyond, forgotten and asked again.
REMEMBER_AT_MOST = 10_000


@dataclass
class _Waiting:
    dev: Caller
    body: SubmissionIn
    idempotency_key: str
    request_hash: str
    answers_size: int
    done: Future[tuple[StoredCase, bool]]


class Intake:
    def __init__(self, sessions: sessionmaker[Session], sealer: Sealer, versions: JourneyVersions,
                 stored: Callable[[], None]) -> None:
        self._sessions = sessions
        self._sealer = sealer
        self._versions = versions
        #: Called after a commit that stored new cases (the relay's wake-up).
        self._stored = stored
        self._devices = ThreadPoolExecutor(1, thread_name_prefix="hub-devices")
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="hub-intake")
        self._queue: deque[_Waiting] = deque()
        #: Tokens found valid (by hash): the kiosk, and until when (time.monotonic()).
        self._known: dict[str, tuple[Caller, float]] = {}

    def known(self, authorization: str) -> Caller | None:
        """The kiosk a token was found valid for in the last half minute (to be confirmed before
        anything is done for the call), or None: ask ``device``."""
        found = self._known.get(hash_token(bearer_token(authorization)))
        if found is None or found[1] < time.monotonic():
            return None
        return found[0]

    async def device(self, authorization: str) -> Caller | str:
        """The kiosk an ``Authorization`` header speaks for, or why it is refused (from the
        database; remembered)."""
        found = await asyncio.wrap_future(self._devices.submit(authenticate_in, self._sessions, authorization))
        if isinstance(found, Caller):
            if len(self._known) >= REMEMBER_AT_MOST:
                self._known.clear()
            self._known[found.token_hash] = found, time.monotonic() + REMEMBER_SECONDS
        return found

    async def confirm(self, caller: Caller) -> bool:
        """Is the caller's token still its kiosk's, unrevoked? (Forgotten if not.)"""
        valid = await asyncio.wrap_future(self._devices.submit(self._still_valid, [caller]))
        return valid[0]

    def _still_valid(self, callers: list[Caller]) -> list[bool]:
        with self._sessions() as session:
            valid = still_valid(session, callers)
        for caller, ok in zip(callers, valid, strict=True):
            if not ok:
                self._known.pop(caller.token_hash, None)
        return valid

    async def store(self, dev: Caller, body: SubmissionIn, idempotency_key: str, request_hash: str,
                    answers_size: int) -> tuple[StoredCase, bool]:
        """Store a submission (committed when this returns): (case, created). Raises
        HTTPException for one that cannot be stored as sent."""
        waiting = _Waiting(dev, body, idempotency_key, request_hash, answers_size, Future())
        self._queue.append(waiting)
        self._writer.submit(self._drain)
        return await asyncio.wrap_future(waiting.done)

    def shutdown(self) -> None:
        """Finish what is queued; then no more (before the hub lets go of its database)."""
        self._writer.shutdown(wait=True)
        self._devices.shutdown(wait=True)

    def _drain(self) -> None:
        batch: list[_Waiting] = []
        while self._queue and len(batch) < BATCH:
            waiting = self._queue.popleft()
            # From here on its answer can no longer be cancelled (an awaiting request cancelled,
            # at shutdown say): one cancelled before is left out, and its kiosk sends it again.
            if waiting.done.set_running_or_notify_cancel():
                batch.append(waiting)
        if not batch:
            return  # an earlier drain took these
        try:
            outcomes = self._transaction(batch)
        except Exception:  # the database refused the batch: each alone, so one bad one fails alone
            if len(batch) > 1:
                log.warning("a batch of %d submissions failed; storing each alone", len(batch), exc_info=True)
            outcomes = []
            for waiting in batch:
                try:
                    outcomes.extend(self._transaction([waiting]))
                except Exception as exc:
                    outcomes.append(exc)
        if any(isinstance(o, tuple) and o[1] for o in outcomes):
            self._stored()
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                waiting.done.set_exception(outcome)
            else:
                waiting.done.set_result(outcome)

    def _transaction(self, batch: list[_Waiting]) -> list[tuple[StoredCase, bool] | Exception]:
        outcomes: list[tuple[StoredCase, bool] | Exception | None] = [None] * len(batch)
        with self._sessions() as session:
            rows: list[tuple[int, dict[str, Any]]] = []
            valid = still_valid(session, [w.dev for w in batch])
            for i, waiting in enumerate(batch):
                if not valid[i]:  # revoked or replaced since the edge let it in
                    self._known.pop(waiting.dev.token_hash, None)
                    outcomes[i] = HTTPException(401, UNKNOWN_TOKEN, headers={"WWW-Authenticate": "Bearer"})
                    continue
                try:
                    rows.append((i, self._row(session, waiting)))
                except HTTPException as refused:  # this one only: nothing of it is written
                    outcomes[i] = refused
            added = insert_cases(session, [row for _, row in rows], "from the kiosk")
            for i, row in rows:
                if added.pop(identity(row), None) is not None:
                    outcomes[i] = StoredCase(row["reference"], "received", row["kiosk_id"], row["request_hash"]), True
                    continue
                try:  # skipped: its key or reference was in use (maybe by one earlier in this batch)
                    outcomes[i] = self._already(session, batch[i])
                except HTTPException as refused:
                    outcomes[i] = refused
            session.commit()
        return [o for o in outcomes if o is not None]

    def _row(self, session: Session, w: _Waiting) -> dict[str, Any]:
        body, dev = w.body, w.dev
        journey = self._versions.get(body.journey_id, body.journey_version)
        if journey is None or journey.submit is None:
            raise HTTPException(422, f"Unknown journey {body.journey_id!r} version {body.journey_version}, "
                                     "or it takes no submissions")
        unknown = sorted(set(body.answers) - set(journey.step_ids))
        if unknown:
            raise HTTPException(422, f"Answers name steps the journey does not have: {', '.join(unknown)}")
        if w.answers_size > MAX_ANSWERS_BYTES:
            raise HTTPException(413, "Answers are too large")
        if body.officer_id is not None and not staff_may_assist(session, body.officer_id, dev.site):
            raise HTTPException(422, f"Staff member {body.officer_id} cannot assist at this kiosk's site")
        return new_case(
            session, self._sealer, journey, reference=body.reference, idempotency_key=w.idempotency_key,
            channel=body.channel, kiosk_id=dev.kiosk_id, site=dev.site, answers=body.answers,
            summary=[dump(s) for s in body.summary], submitted_at=body.submitted_at,
            officer_id=body.officer_id,
            officer_entered=",".join(s for s in body.officer_entered if s in journey.step_ids),
            request_hash=w.request_hash,
        )

    @staticmethod
    def _already(session: Session, w: _Waiting) -> tuple[StoredCase, bool]:
        try:
            existing = already_stored(session, w.idempotency_key, w.body.reference)
        except ReferenceTaken:
            raise HTTPException(409, "That reference is already used by another submission") from None
        # The same key again: a retry of that submission from that kiosk, or a mistake to refuse
        # (another kiosk's key, or a different submission under it).
        if (existing.kiosk_id != w.dev.kiosk_id or existing.reference != w.body.reference
                or (existing.request_hash and existing.request_hash != w.request_hash)):
            raise HTTPException(422, "Idempotency-Key was already used for a different submission")
        return existing, False
