"""Kiosk device tokens: shown once at creation, stored as SHA-256, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hub.db import Device, utcnow


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


def device_for_token(session: Session, token: str) -> Device | None:
    device = session.scalar(select(Device).where(Device.token_hash == hash_token(token)))
    if device is None or device.revoked_at is not None:
        return None
    return device


def bearer_token(authorization: str) -> str:
    """The token of an ``Authorization: Bearer <token>`` header, or "" for any other header."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def authenticate(session: Session, authorization: str) -> Device | str:
    """The kiosk an `Authorization` header speaks for, or why it is refused. Notes when it was
    last seen (once a minute is enough, and saves a write per request)."""
    token = bearer_token(authorization)
    if not token:
        return "Send the kiosk's device token as 'Authorization: Bearer <token>'"
    found = device_for_token(session, token)
    if found is None:
        return "Unknown or revoked device token"
    now = utcnow()
    if found.last_seen_at is None or now - found.last_seen_at > dt.timedelta(seconds=60):
        found.last_seen_at = now
        session.commit()
    return found


def authenticate_in(sessions: sessionmaker[Session], authorization: str) -> Device | str:
    """``authenticate`` in a session of its own (for a worker thread: the edge, the dependency)."""
    with sessions() as session:
        return authenticate(session, authorization)
