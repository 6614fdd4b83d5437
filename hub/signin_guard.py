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
State is in memory, per hub process.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW_S = 900.0
CLIENT_FREE = 10
ACCOUNT_FREE = 5
CLIENT_MAX_WAIT_S = 3600.0
ACCOUNT_MAX_WAIT_S = 60.0


@dataclass
class _Record:
    failures: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0


class SignInGuard:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._clients: dict[str, _Record] = defaultdict(_Record)
        self._accounts: dict[str, _Record] = defaultdict(_Record)
        self._swept = clock()

    def wait_for(self, account: str, client: str) -> float:
        """Seconds before this client may try this account again (0: now). Asking remembers
        nothing: made-up user names cost no memory."""
        now = self._clock()
        waits = [r.blocked_until - now for r in (self._clients.get(client), self._accounts.get(account.lower()))
                 if r is not None]
        return max([0.0, *waits])

    def tracked(self) -> int:
        """Clients and accounts with a failure still counted (what this guard holds in memory)."""
        return len(self._clients) + len(self._accounts)

    def failed(self, account: str, client: str) -> None:
        now = self._clock()
        self._sweep(now)
        mine = self._trim(self._clients[client], now)
        mine.failures.append(now)
        over = len(mine.failures) - CLIENT_FREE
        if over >= 0:
            mine.blocked_until = now + min(60.0 * 2 ** over, CLIENT_MAX_WAIT_S)
        theirs = self._trim(self._accounts[account.lower()], now)
        theirs.failures.append(now)
        over = len(theirs.failures) - ACCOUNT_FREE
        if over >= 0:
            theirs.blocked_until = now + min(2.0 * 2 ** over, ACCOUNT_MAX_WAIT_S)

    def succeeded(self, account: str) -> None:
        """The right password: this account's slate is clean again (the client's is not: signing
        in to one's own account must not reset guessing at others)."""
        self._accounts.pop(account.lower(), None)

    def _trim(self, record: _Record, now: float) -> _Record:
        while record.failures and record.failures[0] <= now - WINDOW_S:
            record.failures.popleft()
        return record

    def _sweep(self, now: float) -> None:
        """Forget clients and accounts whose failures are all past the window and who wait for
        nothing: a flood of made-up names or addresses does not stay in memory."""
        if now - self._swept < 60.0:
            return
        self._swept = now
        for records in (self._clients, self._accounts):
            for key in [k for k, r in records.items()
                        if r.blocked_until <= now and not self._trim(r, now).failures]:
                del records[key]

    def reset(self) -> None:
        self._clients.clear()
        self._accounts.clear()
