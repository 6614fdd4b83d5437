"""Kiosk device tokens: shown once at creation, stored as SHA-256, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, sessionmaker

from hub.db import Device, utcnow

UNKNOWN_TOKEN = "Unknown or revoked device token"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_device(session: Session, kiosk_id: str, site: str, token: str | None = None) -> str:
    """Create (or re-key) a kiosk; returns the new token. Re-keying revokes the old token."""
    token = token or "kt_" + secrets.token_urlsafe(32)
    device = session.scalar(select(Device).where(Device.kiosk_id == kiosk_id))
    if device is None:
        device = Device(kiosk_id=kiosk_id, site=site, token_hash=hash_token(token))
        session.add(device)
    else:
        device.site = site
        device.token_hash = hash_token(token)
        device.revoked_at = None
    session.commit()
    return token


def revoke_device(session: Session, kiosk_id: str) -> bool:
    device = session.scalar(select(Device).where(Device.kiosk_id == kiosk_id))
    if device is None:
        return False
    device.revoked_at = utcnow()
    session.commit()
    return True


def bearer_token(authorization: str) -> str:
    """The token of an ``Authorization: Bearer <token>`` header, or "" for any other header."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@dataclass(frozen=True)
class Caller:
    """The kiosk an API call comes from: what routes need of it, read at the edge."""

    id: int
    kiosk_id: str
    site: str
    #: SHA-256 of the token it called with (to confirm it is still the kiosk's, unrevoked).
    token_hash: str = ""


_BY_TOKEN = select(Device.id, Device.kiosk_id, Device.site, Device.revoked_at, Device.last_seen_at).where(
    Device.token_hash == bindparam("token_hash"))
_ONE_STATEMENT = {"isolation_level": "AUTOCOMMIT"}
_SEEN = update(Device).where(Device.id == bindparam("device_id")).values(last_seen_at=bindparam("now"))


def authenticate(session: Session, authorization: str) -> Caller | str:
    """The kiosk an `Authorization` header speaks for, or why it is refused. Notes when it was
    last seen (once a minute is enough, and saves a write per request). Asked of the database
    every time, so a revoked token stops working at once, in every hub process; Core
    statements built once, since every kiosk call pays for this."""
    token = bearer_token(authorization)
    if not token:
        return "Send the kiosk's device token as 'Authorization: Bearer <token>'"
    # On PostgreSQL, autocommit: one round trip for the look-up, no BEGIN and ROLLBACK around it
    # (SQLite's driver begins no transaction for a read, and switching costs more than it saves).
    db = (session.connection(execution_options=_ONE_STATEMENT)
          if session.get_bind().dialect.name == "postgresql" else session.connection())
    token_hash = hash_token(token)
    found = db.execute(_BY_TOKEN, {"token_hash": token_hash}).first()
    if found is None or found.revoked_at is not None:
        return UNKNOWN_TOKEN
    now = utcnow()
    if found.last_seen_at is None or now - found.last_seen_at > dt.timedelta(seconds=60):
        db.execute(_SEEN, {"device_id": found.id, "now": now})
        session.commit()
    return Caller(found.id, found.kiosk_id, found.site, token_hash)


_CURRENT = select(Device.id, Device.token_hash).where(Device.id.in_(bindparam("ids", expanding=True)),
                                                    Device.revoked_at.is_(None))


def still_valid(session: Session, callers: list[Caller]) -> list[bool]:
    """For each caller: is the token it called with still its kiosk's, unrevoked? (One query for
    all: the intake confirms a batch of submissions at once.)"""
    if not callers:
        return []
    current = {row.id: row.token_hash for row in session.connection().execute(
        _CURRENT, {"ids": sorted({c.id for c in callers})})}
    return [current.get(c.id) == c.token_hash for c in callers]


def authenticate_in(sessions: sessionmaker[Session], authorization: str) -> Caller | str:
    """``authenticate`` in a session of its own (for the intake's device thread)."""
    with sessions() as session:
        return authenticate(session, authorization)
