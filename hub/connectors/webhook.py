"""A council's integration platform: each case as JSON, POSTed with an HMAC-SHA256 signature
so the receiver knows the hub sent it and when (a replayed old request can be refused).

Headers: ``Kiosk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`` with the
shared secret, and ``Idempotency-Key: <kiosk reference>`` (the same on every try, so a receiver
that saw it can answer 200 again instead of making a second case)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx

from hub.config import WebhookSettings
from hub.connectors.base import Outgoing, TransientRelayError
from hub.connectors.replies import refuse_unless_ok, sent_uncertain


def payload(case: Outgoing) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "journey": {"id": case.journey.id, "version": case.journey.version, "title": case.journey.title},
        "channel": case.channel,
        "kiosk_id": case.kiosk_id,
        "site": case.site,
        "received_at": case.received_at.isoformat() + "Z",
        "answers": case.answers,
        "summary": case.summary,
        "location": case.location,
    }


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class WebhookConnector:
    name = "webhook"

    def __init__(self, settings: WebhookSettings, client: httpx.AsyncClient) -> None:
        self._settings = settings
        self._client = client

    async def send(self, case: Outgoing) -> str:
        body = json.dumps(payload(case), separators=(",", ":"), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "Idempotency-Key": case.reference,
                   "Kiosk-Signature": sign(self._settings.secret, int(time.time()), body)}
        try:
            response = await self._client.post(self._settings.url, content=body, headers=headers,
                                               timeout=self._settings.timeout_seconds)
        except httpx.HTTPError as exc:
            raise TransientRelayError(f"{type(exc).__name__}: {exc or 'no reply'}",
                                      uncertain=sent_uncertain(exc)) from None
        refuse_unless_ok(response)
        try:
            reply: Any = response.json()
        except ValueError:
            reply = None
        found = reply.get("id") if isinstance(reply, dict) else None
        return str(found) if found not in (None, "") else case.reference
