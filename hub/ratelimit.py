"""A sliding-window limiter (in memory, per hub process) for guessable things like short codes."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

from hub.signin_guard import SignInGuard


class SlidingWindow:
    def __init__(self, per_client: int, overall: int, window_s: float = 600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_client = per_client
        self.overall = overall
        self.window = window_s
        self._clock = clock
        self._by_client: dict[str, deque[float]] = defaultdict(deque)
        self._all: deque[float] = deque()
        self._swept = clock()

    def tracked(self) -> int:
        """Clients with a try still counted (what this limiter holds in memory)."""
        return len(self._by_client)

    def _trim(self, q: deque[float], now: float) -> None:
        while q and q[0] <= now - self.window:
            q.popleft()

    def allow(self, client: str) -> bool:
        """Count a try; False when this client, or everyone together, has had too many."""
        now = self._clock()
        if now - self._swept >= self.window:  # clients gone quiet are forgotten
            self._swept = now
            for quiet in [c for c, q in self._by_client.items() if not q or q[-1] <= now - self.window]:
                del self._by_client[quiet]
        mine = self._by_client[client]
        self._trim(mine, now)
        self._trim(self._all, now)
        if len(mine) >= self.per_client or len(self._all) >= self.overall:
            return False
        mine.append(now)
        self._all.append(now)
        return True


class Limits:
    """The hub's limiters by name, made on first use and kept on the application's state."""

    def __init__(self) -> None:
        self._found: dict[str, SlidingWindow] = {}
        #: Staff passwords, by the form or HTTP Basic alike.
        self.sign_in = SignInGuard()

    def get(self, name: str, make: Callable[[], SlidingWindow]) -> SlidingWindow:
        found = self._found.get(name)
        if found is None:
            found = self._found[name] = make()
        return found

    def reset(self) -> None:
        """Forget every try counted so far (an operator clearing a lock-out; tests starting clean)."""
        self._found.clear()
        self.sign_in.reset()


def limits_of(state: Any) -> Limits:
    """The ``Limits`` on a Starlette application's state, made on first use."""
    found: Limits | None = getattr(state, "limits", None)
    if found is None:
        found = Limits()
        state.limits = found
    return found
