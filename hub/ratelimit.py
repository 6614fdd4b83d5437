"""Rate limits for guessable things (short codes, tracking references), counted in the database
so every hub process sees the same tries: a client cannot multiply its tries by the number of
processes behind the proxy."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from hub.db import LimitBlock, LimitHit
from hub.signin_guard import SignInGuard, at_time

#: An ``overall`` this large is no limit on everyone together (per client only).
UNLIMITED = 10**9


class SlidingWindow:
    """At most ``per_client`` tries per client, and ``overall`` from everyone together, in any
    ``window_s`` seconds."""

    def __init__(self, sessions: sessionmaker[Session], name: str, per_client: int, overall: int,
                 window_s: float = 600.0, clock: Callable[[], float] = time.time) -> None:
        self._sessions = sessions
        self.name = name
        self.per_client = per_client
        self.overall = overall
        self.window = window_s
        self._clock = clock
        self._swept = clock()

    def tracked(self) -> int:
        """Clients with a try still stored (what this limiter holds in the database)."""
        with self._sessions() as session:
            return session.scalar(select(func.count(func.distinct(LimitHit.client)))
                                  .where(LimitHit.limiter == self.name)) or 0

    def allow(self, client: str) -> bool:
        """Count a try; False when this client, or everyone together, has had too many.

        The try is stored first and counted after: two processes counting at once may both
        refuse the last try, never both allow one too many."""
        now = self._clock()
        at, since = at_time(now), at_time(now - self.window)
        with self._sessions() as session:
            if now - self._swept >= self.window:  # clients gone quiet are forgotten
                self._swept = now
                session.execute(delete(LimitHit).where(LimitHit.limiter == self.name, LimitHit.at <= since))
            hit = LimitHit(limiter=self.name, client=client, at=at)
            session.add(hit)
            session.commit()
            window = select(func.count()).where(LimitHit.limiter == self.name, LimitHit.at > since)
            mine = session.scalar(window.where(LimitHit.client == client)) or 0
            everyone = (session.scalar(window) or 0) if self.overall < UNLIMITED else 0
            if mine > self.per_client or everyone > self.overall:
                session.delete(hit)  # a refused try does not count
                session.commit()
                return False
        return True


class Limits:
    """The hub's limiters by name, made on first use and kept on the application's state; what
    they count is in the database, shared by every hub process."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._found: dict[str, SlidingWindow] = {}
        #: Staff passwords, by the form or HTTP Basic alike.
        self.sign_in = SignInGuard(sessions)

    def get(self, name: str, per_client: int, overall: int = UNLIMITED, window_s: float = 600.0) -> SlidingWindow:
        found = self._found.get(name)
        if found is None:
            found = self._found[name] = SlidingWindow(self._sessions, name, per_client, overall, window_s)
        return found

    def reset(self) -> None:
        """Forget every try counted so far (an operator clearing a lock-out; tests starting clean)."""
        with self._sessions() as session:
            session.execute(delete(LimitHit))
            session.execute(delete(LimitBlock))
            session.commit()


def limits_of(state: Any) -> Limits:
    """The ``Limits`` on a Starlette application's state, made on first use."""
    found: Limits | None = getattr(state, "limits", None)
    if found is None:
        found = Limits(state.hub.sessions)
        state.limits = found
    return found

