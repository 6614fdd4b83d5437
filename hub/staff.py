"""Staff accounts (argon2 password hashes) and the check behind the staff pages."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Annotated

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, HTTPException, Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hub.db import StaffSession, StaffUser, utcnow
from hub.ratelimit import limits_of

ROLES = ("officer", "library", "admin", "insight")
# A hash to verify against when the username is unknown, so timing does not tell which names exist.
_DUMMY = PasswordHasher().hash(secrets.token_hex(8))


def create_staff(session: Session, username: str, display_name: str, role: str, password: str, site: str = "",
                 pin: str = "") -> StaffUser:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise ValueError("password must be at least 10 characters")
    if pin and not (pin.isdigit() and 6 <= len(pin) <= 8):
        # Kiosks keep the PIN hashes for when the hub is down: 6 digits at least, so a copied
        # list takes a million argon2 guesses per member of staff, not ten thousand.
        raise ValueError("the staff PIN must be 6 to 8 digits")
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    hashed = PasswordHasher().hash(password)
    pin_hash = PasswordHasher().hash(pin) if pin else ""
    if user is None:
        user = StaffUser(username=username, display_name=display_name, role=role, password_hash=hashed, site=site,
                         pin_hash=pin_hash)
        session.add(user)
    else:
        user.display_name, user.role, user.password_hash, user.site = display_name, role, hashed, site
        user.disabled_at = None
        if pin:
            user.pin_hash = pin_hash
        # A new password (a reset, perhaps after a leak): every browser signed in as them signs in again.
        session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    session.commit()
    return user


def disable_staff(session: Session, username: str) -> bool:
    """Someone has left, or their password leaked: no sign-in, no sessions, no offline PIN."""
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        return False
    user.disabled_at = utcnow()
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    session.commit()
    return True


def check_password(session: Session, username: str, password: str) -> StaffUser | None:
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    try:
        PasswordHasher().verify(user.password_hash if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    return user if user is not None and user.disabled_at is None else None


def staff_may_assist(session: Session, staff_id: int, site: str) -> bool:
    """A real member of staff whose role assists residents, at this site (or council-wide)."""
    user = session.get(StaffUser, staff_id)
    return (user is not None and user.disabled_at is None and user.role in ("officer", "library", "admin")
            and user.site in ("", site))


SESSION_COOKIE = "staff_session"
SESSION_HOURS = 10


def start_session(session: Session, user: StaffUser) -> tuple[str, str]:
    """A signed-in browser: returns (cookie value, CSRF token). Only the cookie's hash is kept."""
    value = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    session.add(StaffSession(id_hash=hashlib.sha256(value.encode()).hexdigest(), user_id=user.id, csrf=csrf,
                             expires_at=utcnow() + dt.timedelta(hours=SESSION_HOURS)))
    session.commit()
    return value, csrf


def end_session(session: Session, value: str) -> None:
    row = session.get(StaffSession, hashlib.sha256(value.encode()).hexdigest())
    if row is not None:
        session.delete(row)
        session.commit()


@dataclass(frozen=True)
class SignedIn:
    user: StaffUser
    #: The form token for POSTs; "" when signed in by HTTP Basic (which may only read).
    csrf: str


def current(request: Request) -> SignedIn | None:
    value = request.cookies.get(SESSION_COOKIE)
    if not value:
        return None
    with request.app.state.hub.sessions() as session:
        row = session.get(StaffSession, hashlib.sha256(value.encode()).hexdigest())
        if row is None or row.expires_at <= utcnow():
            return None
        user = session.get(StaffUser, row.user_id)
        return SignedIn(user, row.csrf) if user is not None and user.disabled_at is None else None


def signed_in(request: Request) -> SignedIn:
    """Staff pages: a signed-in session, or HTTP Basic for reading (scripts, CSV downloads)."""
    found = current(request)
    if found is not None:
        request.state.staff = found  # the page's header (hub/templating.py) needs no second look-up
        return found
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            username, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            username, password = "", ""
        # The same guard as the sign-in form: HTTP Basic is no way round it.
        guard = limits_of(request.app.state).sign_in
        client = request.client.host if request.client else "unknown"
        wait = guard.wait_for(username, client)
        if wait > 0:
            raise HTTPException(429, "Too many wrong passwords: wait and try again",
                                headers={"Retry-After": str(int(wait) + 1)})
        with request.app.state.hub.sessions() as session:
            user = check_password(session, username, password)
        if user is not None:
            guard.succeeded(username)
            return SignedIn(user, "")
        guard.failed(username, client)
        raise HTTPException(401, "Wrong username or password", headers={"WWW-Authenticate": "Basic"})
    if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
        raise HTTPException(303, "Sign in first", headers={"Location": f"/staff/login?next={request.url.path}"})
    raise HTTPException(401, "Sign in first", headers={"WWW-Authenticate": "Basic"})


def staff_user(who: Annotated[SignedIn, Depends(signed_in)]) -> StaffUser:
    return who.user


def check_csrf(who: SignedIn, token: str) -> None:
    if not who.csrf or not secrets.compare_digest(who.csrf.encode(), token.encode()):  # bytes: any text
        raise HTTPException(403, "The form has expired. Go back, reload the page and try again.")
