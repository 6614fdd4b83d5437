"""Staff accounts (argon2 password hashes) and the check behind the staff pages."""

from __future__ import annotations

import secrets
from typing import Annotated

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db import StaffUser

ROLES = ("officer", "library", "admin", "insight")
_basic = HTTPBasic(realm="Council kiosk hub staff")
# A hash to verify against when the username is unknown, so timing does not tell which names exist.
_DUMMY = PasswordHasher().hash(secrets.token_hex(8))


def create_staff(session: Session, username: str, display_name: str, role: str, password: str) -> StaffUser:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise ValueError("password must be at least 10 characters")
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    hashed = PasswordHasher().hash(password)
    if user is None:
        user = StaffUser(username=username, display_name=display_name, role=role, password_hash=hashed)
        session.add(user)
    else:
        user.display_name, user.role, user.password_hash = display_name, role, hashed
    session.commit()
    return user


def check_password(session: Session, username: str, password: str) -> StaffUser | None:
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    try:
        PasswordHasher().verify(user.password_hash if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def staff_user(request: Request, creds: Annotated[HTTPBasicCredentials, Depends(_basic)]) -> StaffUser:
    with request.app.state.hub.sessions() as session:
        user = check_password(session, creds.username, creds.password)
    if user is None:
        raise HTTPException(401, "Wrong username or password", headers={"WWW-Authenticate": "Basic"})
    return user
