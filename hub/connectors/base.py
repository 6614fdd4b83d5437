"""What a connector is: it delivers one case to a back office and says how that went."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.workflows.model import Journey


class TransientRelayError(Exception):
    """Worth trying again later (network down, timeout, 408, 429, 5xx, malformed reply).

    ``retry_after``: seconds the back office asked us to wait (429, 503). ``uncertain``: the
    request may have arrived (a timeout after sending, a garbled reply), so the next try must
    look for the case before posting it again."""

    def __init__(self, message: str, retry_after: float | None = None, uncertain: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.uncertain = uncertain


class PermanentRelayError(Exception):
    """The back office refused the case; retrying will not help. A person must look."""


@dataclass(frozen=True)
class Outgoing:
    reference: str
    journey: Journey
    answers: dict[str, Any]
    summary: list[dict[str, str]]
    channel: str
    #: When the hub received it (UTC, naive), to bound a search for an earlier post.
    received_at: dt.datetime = dt.datetime(2000, 1, 1)
    #: {"uprn", "lat", "long"} of the case's address, from the gazetteer, when known.
    location: dict[str, Any] | None = None
    #: An earlier try may have reached the back office: look for it before posting again.
    maybe_sent: bool = False
    kiosk_id: str = ""
    site: str = ""


class Connector(Protocol):
    name: str

    async def send(self, case: Outgoing) -> str:
        """Deliver the case; return the back office's id for it."""
        ...
