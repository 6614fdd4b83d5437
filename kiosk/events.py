"""Anonymous usage events, for the council's insight pages. Built from ids, counts and fixed
reasons only: an event has no field that could hold an answer or free text (the hub refuses
any other key). They travel through the outbox like submissions, so none is lost once written.

Written a moment after the tap that made them, not during it: a tap's page change is drawn
first (writing one took 0.4 ms of a tap's 8 on the Qt thread: docs/benchmarks.md). The kiosk
asks for ``flush`` soon after (``soon``) and at exit; only a crash in that moment loses them,
and they hold nothing a resident typed, so keeping them in memory meanwhile is harmless."""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from kiosk.outbox import Outbox
from kiosk.workflows.messages import LEFT_REASONS
from kiosk.workflows.why import WHY_REASONS

__all__ = ["WHY_REASONS", "EventLog"]

log = logging.getLogger("kiosk.events")




class EventLog:
    def __init__(self, outbox: Outbox, soon: Callable[[], None] | None = None) -> None:
        """``soon``: asks for ``flush`` to be called shortly (a timer of the kiosk's); without
        it, each event is written as it happens."""
        self._outbox = outbox
        self._soon = soon
        self._pending: list[dict[str, Any]] = []
        self.session_id = ""
        self._journey_started = 0.0

    @property
    def pending(self) -> int:
        """Events made and not yet written to the outbox."""
        return len(self._pending)

    def _emit(self, kind: str, **fields: Any) -> None:
        if not self.session_id:
            return
        event = {"id": uuid.uuid4().hex, "kind": kind, "session": self.session_id,
                 "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **fields}
        self._pending.append(event)
        if self._soon is None:
            self.flush()
        elif len(self._pending) == 1:
            self._soon()

    def flush(self) -> None:
        """Write the events made so far to the outbox."""
        events, self._pending = self._pending, []
        for event in events:
            try:
                self._outbox.put("event", event["id"], event, durable=False)
            except Exception:  # insight must never get in a resident's way
                log.exception("could not queue an insight event")

    def session_started(self, language: str, settings: list[str]) -> None:
        self.session_id = uuid.uuid4().hex
        self._emit("session_started", language=language, settings=settings)

    def session_ended(self) -> None:
        self.session_id = ""

    def journey_started(self, journey: str) -> None:
        self._journey_started = time.monotonic()
        self._emit("journey_started", journey=journey)

    def step_reached(self, journey: str, step: str) -> None:
        self._emit("step_reached", journey=journey, step=step)

    def validation_error(self, journey: str, step: str, part: str, error_kind: str) -> None:
        self._emit("validation_error", journey=journey, step=step, part=part, error_kind=error_kind)

    def journey_left(self, journey: str, step: str, reason: str) -> None:
        self._emit("journey_left", journey=journey, step=step, reason=reason if reason in LEFT_REASONS else "other")

    def submitted(self, journey: str, channel: str, errors: int) -> None:
        duration = round(time.monotonic() - self._journey_started) if self._journey_started else 0
        self._emit("submitted", journey=journey, channel=channel, duration_s=duration, errors=errors)

    def lookup_finished(self, journey: str) -> None:
        self._emit("lookup_finished", journey=journey)

    def help_requested(self, journey: str | None, step: str | None) -> None:
        where = {"journey": journey, "step": step} if journey else {}
        self._emit("help_requested", **where)

    def why_answered(self, reason: str) -> None:
        self._emit("why_answer", reason=reason)
