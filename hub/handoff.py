"""Finish at home: a journey's state moves from a kiosk to the hub, and a phone carries on.

The link holds a random token (192 bits) and nothing else; the short code is for typing. Both
are stored only as SHA-256 hashes. The first device to open the link claims it with a cookie.
The answers are sealed at rest, and deleted when the journey is sent or the link expires.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hub.crypto import Sealer
from hub.db import Handoff, utcnow
from hub.insight import add_count
from kiosk.workflows.describe import OptionView
from kiosk.workflows.engine import JourneySession
from kiosk.workflows.i18n import Catalog
from kiosk.workflows.model import Journey
from kiosk.workflows.validators import REFERENCE_ALPHABET

CODE_LENGTH = 8


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return f"{code[:4]} {code[4:]}"


@dataclass(frozen=True)
class NewHandoff:
    public_id: str
    token: str
    code: str
    expires_at: dt.datetime


def dump_session(session: JourneySession) -> dict[str, Any]:
    return {
        "answers": session.answers,
        "history": session.history,
        "changing": session.changing,
        "dynamic": {sid: [[o.value, o.label] for o in opts] for sid, opts in session.dynamic_options().items()},
        "errors": session.error_count,
        "draft": session.draft,
    }


def load_session(journey: Journey, state: dict[str, Any], catalog: Catalog | None = None) -> JourneySession:
    session = JourneySession(journey, catalog=catalog)
    session.answers = dict(state.get("answers", {}))
    history = [s for s in state.get("history", []) if s in journey.step_ids]
    session.history = history or [journey.start]
    session.changing = bool(state.get("changing", False))
    for sid, options in state.get("dynamic", {}).items():
        session.set_dynamic_options(sid, [OptionView(v, label) for v, label in options])
    session.error_count = int(state.get("errors", 0))
    session.draft = state.get("draft")
    return session


def bump(session: Session, site: str, metric: str, key: str) -> None:
    """Handoffs are counted for insight at the hub itself (no personal data, just a count)."""
    add_count(session, utcnow().date(), site, metric, key)


def create(session: Session, sealer: Sealer, journey: Journey, state: dict[str, Any], site: str, kiosk_id: str,
           valid_hours: int, language: str = "en") -> NewHandoff:
    token = secrets.token_urlsafe(24)
    for _ in range(5):
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(select(Handoff.id).where(Handoff.code_hash == digest(code))) is None:
            break
    expires = utcnow() + dt.timedelta(hours=valid_hours)
    handoff = Handoff(public_id=uuid.uuid4().hex, token_hash=digest(token), code_hash=digest(code),
                      journey_id=journey.id, journey_version=journey.version, site=site, kiosk_id=kiosk_id,
                      sealed=sealer.seal(state),
                      csrf=secrets.token_urlsafe(24), expires_at=expires, language=language)
    session.add(handoff)
    bump(session, site, "handoff_started", journey.id)
    session.commit()
    return NewHandoff(handoff.public_id, token, code, expires)


def by_token(session: Session, token: str) -> Handoff | None:
    return session.scalar(select(Handoff).where(Handoff.token_hash == digest(token)))


def by_code(session: Session, code: str) -> Handoff | None:
    return session.scalar(select(Handoff).where(Handoff.code_hash == digest(normalise_code(code))))


def by_public_id(session: Session, public_id: str) -> Handoff | None:
    return session.scalar(select(Handoff).where(Handoff.public_id == public_id))


def state_of(handoff: Handoff) -> str:
    if handoff.completed_at is not None:
        return "completed"
    if handoff.expires_at <= utcnow() or handoff.sealed is None:
        return "expired"
    return "open"


def claim(session: Session, handoff: Handoff, cookie: str | None) -> str | None:
    """The first device to open the link gets it. Returns a new cookie value when this request
    claimed it, the existing value when this device holds it, or None for another device."""
    if handoff.claim_hash is None:
        value = secrets.token_urlsafe(24)
        # Compare-and-set, so two devices opening the link at once cannot both win.
        won = session.execute(update(Handoff).where(Handoff.id == handoff.id, Handoff.claim_hash.is_(None))
                              .values(claim_hash=digest(value)))
        session.commit()
        if getattr(won, "rowcount", 0) == 1:
            return value
        session.refresh(handoff)
    return cookie if holds(handoff, cookie) else None


def holds(handoff: Handoff, cookie: str | None) -> bool:
    """Whether the device with this cookie is the one that took the journey."""
    return cookie is not None and cookie != "" and handoff.claim_hash == digest(cookie)


def sweep(session: Session, now: dt.datetime | None = None) -> int:
    """Delete the answers of expired handoffs (completed ones are emptied at completion)."""
    now = now or utcnow()
    result = session.execute(update(Handoff).where(Handoff.expires_at <= now, Handoff.sealed.is_not(None))
                             .values(sealed=None))
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
