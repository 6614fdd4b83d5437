"""Sends what the outbox holds, in order, with backoff. Runs on the app's asyncio loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from kiosk.hub_client import HubClient, HubError, HubRejected, HubUnavailable
from kiosk.hub_status import HubStatus
from kiosk.outbox import Outbox, OutboxItem
from kiosk.vitals import Vitals
from kiosk.workflows.messages import Fault

log = logging.getLogger("kiosk.outbox")

#: Refusals that may pass (auth being fixed, a proxy in front of a hub being restarted, rate
#: limits): keep retrying rather than hold.
RETRYABLE_STATUSES = {401, 403, 404, 408, 409, 425, 429}
#: A heartbeat at least this often (and whenever the queue's state changes).
HEARTBEAT_SECONDS = 60.0


class OutboxWorker:
    def __init__(self, outbox: Outbox, client: HubClient, first_retry: float = 5.0, max_retry: float = 300.0,
                 on_change: Callable[[str, str], None] | None = None, status: HubStatus | None = None,
                 vitals: Vitals | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self._outbox = outbox
        self._client = client
        self._first = first_retry
        self._max = max_retry
        #: Called with (reference, "sent" | "waiting" | "held").
        self._on_change = on_change or (lambda ref, state: None)
        self._wake = asyncio.Event()
        self.status = status or HubStatus()
        self.status.on_back = self.hub_back
        self.last_error = ""
        #: The same, as a code for the heartbeat.
        self.fault: Fault = ""
        #: What the hub was last told about this queue, and when (see report_state).
        self._reported: tuple[bool, int, int] | None = None
        self._reported_at = -HEARTBEAT_SECONDS
        self.vitals = vitals
        self._clock = clock

    def set_listener(self, on_change: Callable[[str, str], None]) -> None:
        self._on_change = on_change

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                await self.send_due()
                await self.report_state()
            except Exception:  # a storage fault must not stop sending for good
                log.exception("outbox pass failed")
            due_at = self._outbox.next_due_at()
            timeout = HEARTBEAT_SECONDS if due_at is None else max(0.05, min(due_at - time.time(), HEARTBEAT_SECONDS))
            # asyncio.timeout, not wait_for: no inner task, so cancelling the worker is immediate.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()
            self._wake.clear()

    async def send_due(self) -> int:
        """One pass over what is due: submissions first (a resident is waiting on them), then
        usage events, audit entries and taster records in batches; one failing does not stop
        the others. Returns how many submissions the hub acknowledged."""
        due = self._outbox.due(limit=200)
        sent = 0
        for item in (i for i in due if i.kind == "submission"):
            outcome = await self._send_submission(item)
            if outcome is None:
                return sent  # the hub is down: the rest would fail the same way
            sent += outcome
        for kind, send in (("event", self._client.send_events), ("audit", self._client.send_audit),
                           ("taster", self._client.send_taster)):
            batch = [item for item in due if item.kind == kind]
            if batch and not await self._send_batch(batch, send):
                break
        return sent

    async def _send_submission(self, item: OutboxItem) -> int | None:
        """1 if the hub took it, 0 if refused (waiting or held), None if the hub is down."""
        reference = str(item.payload.get("reference", ""))
        try:
            await self._client.submit(item.payload, item.idempotency_key)
        except HubRejected as exc:
            self.last_error, self.fault = str(exc), "hub_refused"
            if exc.status in RETRYABLE_STATUSES:
                self._outbox.retry_later(item.id, str(exc), self._delay(item.attempts))
                self._on_change(reference, "waiting")
            else:
                self._outbox.hold(item.id, str(exc))
                log.error("hub refused queued item %s: %s", item.id, exc.detail)
                self._on_change(reference, "held")
            return 0
        except HubUnavailable as exc:
            self.status.failed()
            self.last_error, self.fault = str(exc), "hub_unreachable"
            delay = self._delay(item.attempts)
            self._outbox.retry_later(item.id, str(exc), delay)
            # The hub is down for all of them: everything waits as long (the health check
            # brings them back as soon as it answers), rather than one try per item.
            self._outbox.postpone(delay)
            log.warning("hub unavailable, the queue waits %.0f s: %s", delay, exc)
            self._on_change(reference, "waiting")
            return None
        self.status.ok()
        self.fault = ""
        self._outbox.delete(item.id)
        self._on_change(reference, "sent")
        return 1

    async def report_state(self) -> None:
        """Tell the hub how this kiosk is: a heartbeat (versions, the queue's counts, health,
        the screen as a code) once a minute, and at once when items are held or set aside or the
        queue empties or fills: staff see it on the fleet page without walking to the kiosk.
        Without vitals (tests of the queue alone), the queue's counts only."""
        queued, held, quarantined = self._outbox.depth(), self._outbox.held(), self._outbox.quarantined()
        state = (queued > 0, held, quarantined)
        now = self._clock()
        due = self.vitals is not None and now - self._reported_at >= HEARTBEAT_SECONDS
        if (state == self._reported and not due) or self.status.reachable is False:
            return
        try:
            if self.vitals is not None:
                await self._client.heartbeat(self.vitals.beat(self.fault))
            else:
                await self._client.outbox_state(queued, held, quarantined)
        except HubError as exc:
            log.warning("could not report the outbox state: %s", exc)
            return
        self._reported, self._reported_at = state, now

    def hub_back(self) -> None:
        """The health check reached the hub again: send now, not when the backoff ends."""
        self._outbox.due_now()
        self.wake()

    def retry_held(self, item_id: int | None = None) -> int:
        """Staff asked (maintenance screen): refused items go back in the queue, sent now."""
        count = self._outbox.release(item_id)
        self.wake()
        return count

    async def _send_batch(self, events: list[OutboxItem],
                          send: Callable[[list[dict[str, Any]]], Awaitable[int]]) -> bool:
        """Usage events and audit entries go in batches; the hub ignores ids it has already seen."""
        try:
            await send([e.payload for e in events])
        except ValueError as exc:  # a stored item the messages no longer accept: it never will
            for e in events:
                self._outbox.hold(e.id, f"not a valid {e.kind}: {str(exc)[:200]}")
            log.error("held a batch that is not valid", extra={"kind": events[0].kind})
            return True
        except HubRejected as exc:
            for e in events:
                if exc.status in RETRYABLE_STATUSES:
                    self._outbox.retry_later(e.id, str(exc), self._delay(e.attempts))
                else:
                    self._outbox.hold(e.id, str(exc))
            log.error("hub refused a batch", extra={"kind": events[0].kind, "detail": exc.detail})
            return True
        except HubUnavailable as exc:
            self.status.failed()
            self.last_error, self.fault = str(exc), "hub_unreachable"
            for e in events:
                self._outbox.retry_later(e.id, str(exc), self._delay(e.attempts))
            return False
        self.status.ok()
        self._outbox.delete_all([e.id for e in events])
        return True

    def _delay(self, attempts: int) -> float:
        return float(min(self._first * 2**attempts, self._max))
