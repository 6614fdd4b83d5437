"""Is the hub reachable, and since when not? Fed by every hub call and a periodic health check."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from kiosk.hub_client import HubClient, HubError


class HubStatus:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.reachable: bool | None = None
        self.down_since: float | None = None
        #: Called when the hub answers again after being unreachable (the outbox sends at once).
        self.on_back: Callable[[], None] = lambda: None

    def ok(self) -> None:
        was_down = self.reachable is False
        self.reachable = True
        self.down_since = None
        if was_down:
            self.on_back()

    def failed(self) -> None:
        self.reachable = False
        if self.down_since is None:
            self.down_since = self._clock()

    def down_for(self) -> float:
        return 0.0 if self.down_since is None else self._clock() - self.down_since

    async def watch(self, client: HubClient, interval: float, while_down: float = 5.0) -> None:
        """Ask the hub how it is every ``interval`` seconds, and every ``while_down`` seconds
        while it does not answer (so queued submissions go within seconds of it coming back),
        for as long as the app runs."""
        while True:
            try:
                await client.health()
            except HubError:
                self.failed()
            else:
                self.ok()
            await asyncio.sleep(min(interval, while_down) if self.reachable is False else interval)
