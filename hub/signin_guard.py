"""Slowing down password guessing without letting anybody lock everybody out.

Only wrong passwords count, and they are counted two ways:

- **per client** (a network address, any accounts): after ``CLIENT_FREE`` wrong passwords in
  ``WINDOW_S``, that client must wait before trying again, 1 minute doubling to an hour. Staff
  elsewhere are not affected.
- **per account** (from any clients): after ``ACCOUNT_FREE`` wrong passwords, each further try
  on that account waits a few seconds more than the last, up to ``ACCOUNT_MAX_WAIT_S``: guessing
  becomes hopelessly slow, but the real member of staff is only ever a minute away from signing
  in, wherever the guesses come from.

The sign-in form and HTTP Basic (for scripts) share one guard, so neither gets around the other.
The failures and waits are in the database: every hub process behind the proxy counts the same.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from sqlalchemy import delete, func, or_, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from hub.db import LimitBlock, LimitHit, insert_for

WINDOW_S = 900.0
CLIENT_FREE = 10
ACCOUNT_FREE = 5
CLIENT_MAX_WAIT_S = 3600.0
ACCOUNT_MAX_WAIT_S = 60.0
CLIENT, ACCOUNT = "sign-in client", "sign-in account"


def at_time(seconds: float) -> dt.datetime:
    """A clock reading (seconds since the epoch) as the database stores times (UTC, naive)."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


class SignInGuard:
    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], float] = time.time) -> None:
        self._sessions = sessions
        self._clock = clock
        self._swept = clock()

    def wait_for(self, account: str, client: str) -> float:
        """Seconds before this client may try this account again (0: now). Asking remembers
        nothing: made-up user names cost no memory."""
        now = at_time(self._clock())
        with self._sessions() as session:
            until = session.scalar(select(func.max(LimitBlock.until)).where(
                tuple_(LimitBlock.limiter, LimitBlock.client).in_([(CLIENT, client), (ACCOUNT, account.lower())])))
        return max(0.0, (until - now).total_seconds()) if until is not None else 0.0

    def tracked(self) -> int:
        """Clients and accounts with a failure or a wait still stored."""
        with self._sessions() as session:
            hits = {tuple(r) for r in session.execute(
                select(LimitHit.limiter, LimitHit.client).where(LimitHit.limiter.in_((CLIENT, ACCOUNT))).distinct())}
            blocks = {tuple(r) for r in session.execute(select(LimitBlock.limiter, LimitBlock.client).where(
                LimitBlock.limiter.in_((CLIENT, ACCOUNT))))}
        return len(hits | blocks)

    def failed(self, account: str, client: str) -> None:
        seconds = self._clock()
        now, since = at_time(seconds), at_time(seconds - WINDOW_S)
        with self._sessions() as session:
            self._sweep(session, seconds)
            for limiter, key, free, wait, most in ((CLIENT, client, CLIENT_FREE, 60.0, CLIENT_MAX_WAIT_S),
                                                   (ACCOUNT, account.lower(), ACCOUNT_FREE, 2.0, ACCOUNT_MAX_WAIT_S)):
                session.add(LimitHit(limiter=limiter, client=key, at=now))
                session.flush()
                failures = session.scalar(select(func.count()).where(
                    LimitHit.limiter == limiter, LimitHit.client == key, LimitHit.at > since)) or 0
                over = failures - free
                if over >= 0:
                    until = at_time(seconds + min(wait * 2 ** over, most))
                    session.execute(insert_for(session, LimitBlock).values(limiter=limiter, client=key, until=until)
                                    .on_conflict_do_update(index_elements=["limiter", "client"],
                                                           set_={"until": until}))
            session.commit()

    def succeeded(self, account: str) -> None:
        """The right password: this account's slate is clean again (the client's is not: signing
        in to one's own account must not reset guessing at others)."""
        with self._sessions() as session:
            for table in (LimitHit, LimitBlock):
                session.execute(delete(table).where(table.limiter == ACCOUNT, table.client == account.lower()))
            session.commit()

    def _sweep(self, session: Session, seconds: float) -> None:
        """Forget failures past the window and waits that are over: a flood of made-up names or
        addresses does not stay in the database."""
        if seconds - self._swept < 60.0:
            return
        self._swept = seconds
        mine = LimitHit.limiter.in_((CLIENT, ACCOUNT))
        session.execute(delete(LimitHit).where(mine, LimitHit.at <= at_time(seconds - WINDOW_S)))
        session.execute(delete(LimitBlock).where(LimitBlock.limiter.in_((CLIENT, ACCOUNT)),
                                                 LimitBlock.until <= at_time(seconds)))

    def reset(self) -> None:
        with self._sessions() as session:
            for table in (LimitHit, LimitBlock):
                session.execute(delete(table).where(or_(table.limiter == CLIENT, table.limiter == ACCOUNT)))
            session.commit()
