"""Durable, encrypted outbox: a submission is committed here before the resident sees a
reference, and deleted only once the hub has acknowledged it.

SQLite with synchronous=FULL, so a commit survives power loss or kill -9. Payloads are
sealed (kiosk/sealing.py) so nothing a resident typed is readable from the disk. The key sits in the
kiosk's settings on the same disk, so whatever the hub has taken is also scrubbed: SQLite zeroes
a deleted row where it lay (secure_delete), and the write-ahead log, which still holds the page
as it was, is checkpointed and emptied (after each submission, and after each batch of the rest).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.sealing import Sealer, Unreadable

log = logging.getLogger("kiosk.outbox")


@dataclass(frozen=True)
class HeldItem:
    """An item the hub refused, as the maintenance screen lists it (never its answers)."""

    id: int
    kind: str
    reference: str
    created_at: float
    reason: str


@dataclass(frozen=True)
class OutboxItem:
    id: int
    idempotency_key: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    last_error: str


class Outbox:
    def __init__(self, path: Path, key: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._sealer = Sealer(key)
        self._db = sqlite3.connect(path, isolation_level=None, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA secure_delete=ON")
        self._db.execute(
            """CREATE TABLE IF NOT EXISTS outbox (
                id INTEGER PRIMARY KEY,
                idempotency_key TEXT UNIQUE NOT NULL,
                kind TEXT NOT NULL,
                sealed BLOB NOT NULL,
                created_at REAL NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at REAL NOT NULL,
                state TEXT NOT NULL DEFAULT 'queued',
                last_error TEXT NOT NULL DEFAULT ''
            )"""
        )
        # Rows that cannot be decrypted (a changed key, a damaged disk) are moved here, so they
        # never block the rest; kept (still sealed) in case the old key turns up.
        self._db.execute(
            """CREATE TABLE IF NOT EXISTS quarantine (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                sealed BLOB NOT NULL,
                created_at REAL NOT NULL,
                quarantined_at REAL NOT NULL,
                reason TEXT NOT NULL
            )"""
        )

    def close(self) -> None:
        self._db.close()

    def put(self, kind: str, idempotency_key: str, payload: dict[str, Any], durable: bool = True) -> None:
        """Queue an item. ``durable=False`` (usage events) skips the fsync: the item still
        survives the app being killed, just not a power cut in the same instant."""
        sealed = self._sealer.seal(json.dumps(payload, separators=(",", ":")).encode("utf-8"))
        now = time.time()
        if not durable:
            self._db.execute("PRAGMA synchronous=NORMAL")
        try:
            self._db.execute(
                "INSERT INTO outbox (idempotency_key, kind, sealed, created_at, next_attempt_at) VALUES (?,?,?,?,?)",
                (idempotency_key, kind, sealed, now, now),
            )
        finally:
            if not durable:
                self._db.execute("PRAGMA synchronous=FULL")

    def due(self, now: float | None = None, limit: int = 20) -> list[OutboxItem]:
        """What is due, oldest first. A row that cannot be opened is quarantined, not returned."""
        now = time.time() if now is None else now
        rows = self._db.execute(
            "SELECT id, idempotency_key, kind, sealed, attempts, last_error FROM outbox"
            " WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
            (now, limit),
        ).fetchall()
        out = []
        for r in rows:
            payload = self._open(r[0], r[3])
            if payload is not None:
                out.append(OutboxItem(r[0], r[1], r[2], payload, r[4], r[5]))
        return out

    def _open(self, item_id: int, sealed: bytes) -> dict[str, Any] | None:
        try:
            payload: dict[str, Any] = json.loads(self._sealer.open(sealed))
            return payload
        except (Unreadable, ValueError) as exc:
            self._quarantine(item_id, "cannot be decrypted" if isinstance(exc, Unreadable) else "not JSON")
            return None

    def _quarantine(self, item_id: int, reason: str) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT INTO quarantine (id, kind, sealed, created_at, quarantined_at, reason)"
                " SELECT id, kind, sealed, created_at, ?, ? FROM outbox WHERE id = ?", (time.time(), reason, item_id))
            self._db.execute("DELETE FROM outbox WHERE id = ?", (item_id,))
        log.error("outbox item quarantined", extra={"item": item_id, "reason": reason})

    def quarantined(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM quarantine").fetchone()[0])

    def next_due_at(self) -> float | None:
        row = self._db.execute("SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'queued'").fetchone()
        return None if row[0] is None else float(row[0])

    def delete(self, item_id: int) -> None:
        """The hub has the item. A submission leaves no copy on the disk, sealed or not."""
        kind = self._db.execute("DELETE FROM outbox WHERE id = ? RETURNING kind", (item_id,)).fetchall()
        if kind == [("submission",)]:
            self.scrub()

    def delete_all(self, item_ids: list[int]) -> None:
        """A batch the hub has (usage events, audit entries, taster records): deleted in one
        transaction (one sync to the disk, not one a row), then scrubbed once, so what was sent
        leaves nothing behind, not even its key in an old page of the log."""
        if not item_ids:
            return
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM outbox WHERE id = ?", [(i,) for i in item_ids])
        self.scrub()

    def scrub(self) -> None:
        """Copy the log's pages home and empty it: deleted rows, already zeroed in their pages,
        then have no older copy left in the log either."""
        busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            log.warning("outbox log not emptied: another connection is reading it")

    def retry_later(self, item_id: int, error: str, delay: float) -> None:
        self._db.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
            (error[:300], time.time() + delay, item_id),
        )

    def hold(self, item_id: int, error: str) -> None:
        """The hub refused it: keep it (never lose a resident's submission) for staff to see."""
        self._db.execute(
            "UPDATE outbox SET attempts = attempts + 1, state = 'held', last_error = ? WHERE id = ?",
            (error[:300], item_id),
        )

    def depth(self, kind: str = "submission") -> int:
        row = self._db.execute("SELECT COUNT(*) FROM outbox WHERE state = 'queued' AND kind = ?", (kind,)).fetchone()
        return int(row[0])

    def oldest_age(self, now: float | None = None) -> float:
        """Seconds the oldest queued submission has waited (0 when none waits)."""
        row = self._db.execute("SELECT MIN(created_at) FROM outbox WHERE state = 'queued' AND kind = 'submission'"
                               ).fetchone()
        return max(0.0, (now or time.time()) - row[0]) if row[0] is not None else 0.0

    def held(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM outbox WHERE state = 'held'").fetchone()[0])

    def held_items(self, limit: int = 20) -> list[HeldItem]:
        rows = self._db.execute("SELECT id, kind, sealed, created_at, last_error FROM outbox WHERE state = 'held'"
                                " ORDER BY id LIMIT ?", (limit,)).fetchall()
        out = []
        for r in rows:
            payload = self._open(r[0], r[2])
            if payload is not None:
                out.append(HeldItem(r[0], r[1], str(payload.get("reference", "")), r[3], r[4]))
        return out

    def release(self, item_id: int | None = None) -> int:
        """Held items (one, or all) go back in the queue, due now. Returns how many."""
        query = "UPDATE outbox SET state = 'queued', next_attempt_at = ? WHERE state = 'held'"
        args: tuple[Any, ...] = (time.time(),)
        if item_id is not None:
            query, args = query + " AND id = ?", (*args, item_id)
        return self._db.execute(query, args).rowcount

    def postpone(self, delay: float) -> None:
        """Nothing queued is due for ``delay`` seconds (the hub is down)."""
        until = time.time() + delay
        self._db.execute("UPDATE outbox SET next_attempt_at = ? WHERE state = 'queued' AND next_attempt_at < ?",
                         (until, until))

    def due_now(self) -> None:
        """The hub is back: everything waiting out a backoff is due at once."""
        self._db.execute("UPDATE outbox SET next_attempt_at = ? WHERE state = 'queued' AND next_attempt_at > ?",
                         (time.time(), time.time()))
