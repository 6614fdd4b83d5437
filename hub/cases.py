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


#: A case, unless its idempotency key or reference is already used (then nothing, and no id):
#: per dialect, since ``ON CONFLICT`` is spelled by each.
_INSERT_CASE = {name: dml.insert(Case).on_conflict_do_nothing().returning(Case.id)
                for name, dml in (("sqlite", sqlite), ("postgresql", postgresql))}
_INSERT_UPDATE = insert(CaseUpdate)
_BY_KEY = select(Case.reference, Case.status, Case.kiosk_id, Case.request_hash).where(
    Case.idempotency_key == bindparam("key"))


def insert_case(session: Session, sealer: Sealer, journey: Journey, *, reference: str, idempotency_key: str,
                channel: str, kiosk_id: str, site: str, answers: dict[str, Any], summary: list[dict[str, str]],
                submitted_at: dt.datetime, received_from: str, officer_id: int | None = None,
                officer_entered: str = "", request_hash: str = "") -> StoredCase | None:
    """Add a case and its first status line to the session's transaction (no commit), or None
    if its idempotency key or reference is already used (then nothing is added). Plain INSERTs
    built once: the intake path is the hub's busiest, and the ORM's unit of work cost about as
    much as everything else in it."""
    assert journey.submit is not None
    db = session.connection()
    case_id = db.execute(_INSERT_CASE[db.dialect.name], {
        "reference": reference, "idempotency_key": idempotency_key, "journey_id": journey.id,
        "journey_version": journey.version, "journey_title": journey.title,
        "channel": channel, "kiosk_id": kiosk_id, "site": site,
        "sealed": sealer.seal({"answers": answers, "summary": summary, "location": locate(session, journey, answers)}),
        "submitted_at": submitted_at.astimezone(dt.UTC).replace(tzinfo=None) if submitted_at.tzinfo else submitted_at,
        "connector": journey.submit.connector,
        # In the same commit: the relay (or anyone reading) never sees an assisted case without its officer.
        "officer_id": officer_id, "officer_entered": officer_entered, "request_hash": request_hash,
    }).scalar()
    if case_id is None:
        return None
    db.execute(_INSERT_UPDATE, {"case_id": case_id, "text": f"Received {received_from}"})
    return StoredCase(reference, "received", kiosk_id, request_hash)


def already_stored(session: Session, idempotency_key: str, reference: str) -> StoredCase:
    """The case an insert found in its way: the one made under this idempotency key (a retry,
    or another submission reusing the key: the caller compares), else ReferenceTaken."""
    existing = session.connection().execute(_BY_KEY, {"key": idempotency_key}).first()
    if existing is None:
        raise ReferenceTaken(reference)
    return StoredCase(*existing)


def create_case(session: Session, sealer: Sealer, journey: Journey, *, reference: str, idempotency_key: str,
                **fields: Any) -> tuple[StoredCase, bool]:
    """Store a case, or return the one already made with this idempotency key.

    Returns (case, created). Commits. Raises ReferenceTaken if another case has the reference.
    """
    stored = insert_case(session, sealer, journey, reference=reference, idempotency_key=idempotency_key, **fields)
    if stored is None:
        return already_stored(session, idempotency_key, reference), False
    session.commit()
    return stored, True


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
