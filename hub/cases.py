"""Making a case: the one place a submission becomes a stored, sealed, relayable case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hub.crypto import Sealer
from hub.db import Address, Case, CaseUpdate
from kiosk.workflows.model import Journey, StepType


class ReferenceTaken(Exception):
    pass


@dataclass(frozen=True)
class StoredCase:
    """What the intake needs to answer about a case it stored (or found under the key)."""

    reference: str
    status: str
    kiosk_id: str
    request_hash: str


#: Cases, but none whose idempotency key or reference is already used (those are skipped): per
#: dialect, since ``ON CONFLICT`` is spelled by each. One statement for a whole batch.
_INSERT_CASES = {name: dml.insert(Case).on_conflict_do_nothing().returning(
                     Case.id, Case.idempotency_key, Case.reference, Case.request_hash)
                 for name, dml in (("sqlite", sqlite), ("postgresql", postgresql))}
_INSERT_UPDATES = insert(CaseUpdate)
_BY_KEY = select(Case.reference, Case.status, Case.kiosk_id, Case.request_hash).where(
    Case.idempotency_key == bindparam("key"))
#: What tells one new case from another in a batch.
Identity = tuple[str, str, str]


def new_case(session: Session, sealer: Sealer, journey: Journey, *, reference: str, idempotency_key: str,
             channel: str, kiosk_id: str, site: str, answers: dict[str, Any], summary: list[dict[str, str]],
             submitted_at: dt.datetime, officer_id: int | None = None, officer_entered: str = "",
             request_hash: str = "") -> dict[str, Any]:
    """A case's row, its answers sealed, for ``insert_cases``."""
    assert journey.submit is not None
    return {
        "reference": reference, "idempotency_key": idempotency_key, "journey_id": journey.id,
        "journey_version": journey.version, "journey_title": journey.title,
        "channel": channel, "kiosk_id": kiosk_id, "site": site,
        "sealed": sealer.seal({"answers": answers, "summary": summary, "location": locate(session, journey, answers)}),
        "submitted_at": submitted_at.astimezone(dt.UTC).replace(tzinfo=None) if submitted_at.tzinfo else submitted_at,
        "connector": journey.submit.connector,
        # In the same commit: the relay (or anyone reading) never sees an assisted case without its officer.
        "officer_id": officer_id, "officer_entered": officer_entered, "request_hash": request_hash,
    }


def identity(row: dict[str, Any]) -> Identity:
    return row["idempotency_key"], row["reference"], row["request_hash"]


def insert_cases(session: Session, rows: list[dict[str, Any]], received_from: str) -> dict[Identity, int]:
    """Add cases, each with its first status line, to the session's transaction (no commit):
    the ids of those added, by ``identity``. A row whose idempotency key or reference is already
    used is skipped (``already_stored`` tells which case is in its way). Two statements however
    many cases (Core, built once: the ORM's unit of work cost as much as the rest of intake)."""
    if not rows:
        return {}
    db = session.connection()
    added = {(key, reference, request_hash): case_id for case_id, key, reference, request_hash
             in db.execute(_INSERT_CASES[db.dialect.name], rows)}
    if added:
        db.execute(_INSERT_UPDATES, [{"case_id": case_id, "text": f"Received {received_from}"}
                                     for case_id in added.values()])
    return added


def already_stored(session: Session, idempotency_key: str, reference: str) -> StoredCase:
    """The case an insert found in its way: the one made under this idempotency key (a retry,
    or another submission reusing the key: the caller compares), else ReferenceTaken."""
    existing = session.connection().execute(_BY_KEY, {"key": idempotency_key}).first()
    if existing is None:
        raise ReferenceTaken(reference)
    return StoredCase(*existing)


def create_case(session: Session, row: dict[str, Any], received_from: str) -> tuple[StoredCase, bool]:
    """Store one case (a row from ``new_case``), or return the one already made with its
    idempotency key.

    Returns (case, created). Commits. Raises ReferenceTaken if another case has the reference.
    """
    if not insert_cases(session, [row], received_from):
        return already_stored(session, row["idempotency_key"], row["reference"]), False
    session.commit()
    return StoredCase(row["reference"], "received", row["kiosk_id"], row["request_hash"]), True


def locate(session: Session, journey: Journey, answers: dict[str, Any]) -> dict[str, Any] | None:
    """Where the case is: the first address answered with a UPRN, with the gazetteer's
    coordinates when it has them. Kept with the case (the gazetteer may change later)."""
    for step in journey.steps:
        value = answers.get(step.id)
        if step.type != StepType.ADDRESS or not isinstance(value, dict) or not value.get("uprn"):
            continue
        uprn = str(value["uprn"])
        found = session.get(Address, uprn)
        if found is None or found.latitude is None or found.longitude is None:
            return {"uprn": uprn}
        return {"uprn": uprn, "lat": found.latitude, "long": found.longitude}
    return None
