"""A sliding-window limiter (in memory, per hub process) for guessable things like short codes."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable


class SlidingWindow:
    def __init__(self, per_client: int, overall: int, window_s: float = 600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_client = per_client
        self.overall = overall
        self.window = window_s
        self._clock = clock
        self._by_client: dict[str, deque[float]] = defaultdict(deque)
        self._all: deque[float] = deque()

    def _trim(self, q: deque[float], now: float) -> None:
        while q and q[0] <= now - self.window:
            q.popleft()

    def allow(self, client: str) -> bool:
        """Count a try; False when this client, or everyone together, has had too many."""
        now = self._clock()
        mine = self._by_client[client]
        self._trim(mine, now)
        self._trim(self._all, now)
        if len(mine) >= self.per_client or len(self._all) >= self.overall:
            return False
        mine.append(now)
        self._all.append(now)
        return True
