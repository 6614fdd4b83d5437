"""What a connector is: it delivers one case to a back office and says how that went."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.workflows.model import Journey


class TransientRelayError(Exception):
    """Worth trying again later (network down, timeout, 5xx, malformed reply)."""


class PermanentRelayError(Exception):
    """The back office refused the case; retrying will not help. A person must look."""


@dataclass(frozen=True)
class Outgoing:
    reference: str
    journey: Journey
    answers: dict[str, Any]
    summary: list[dict[str, str]]
    channel: str


class Connector(Protocol):
    name: str

    async def send(self, case: Outgoing) -> str:
        """Deliver the case; return the back office's id for it."""
        ...
