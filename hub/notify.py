"""Send a "finish on your phone" link by email or text, through GOV.UK Notify's API.

Notify authenticates with a JWT (HS256) made from the API key: the key is
``{name}-{service id}-{secret}``, the token's ``iss`` is the service id, ``iat`` the time. We
sign it here with hmac rather than pull in a JWT library for one fixed header. The address or
number is used for the send and never stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx

from hub.config import NotifySettings


class NotifyError(Exception):
    """Notify refused or could not be reached; ``reason`` is safe to show staff or residents."""

    def __init__(self, reason: str, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def split_key(api_key: str) -> tuple[str, str]:
    """(service id, secret) from a Notify API key: the last two 36-character UUIDs."""
    if len(api_key) < 74:
        raise ValueError("not a Notify API key")
    return api_key[-73:-37], api_key[-36:]


def token(api_key: str, now: float | None = None) -> str:
    service_id, secret = split_key(api_key)
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    claims = _b64(json.dumps({"iss": service_id, "iat": int(now if now is not None else time.time())},
                             separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{_b64(signature)}"


class NotifyClient:
    def __init__(self, settings: NotifySettings, client: httpx.AsyncClient) -> None:
        self._settings = settings
        self._client = client

    async def _post(self, path: str, body: dict[str, Any]) -> None:
        url = self._settings.base_url.rstrip("/") + path
        headers = {"Authorization": f"Bearer {token(self._settings.api_key)}"}
        try:
            response = await self._client.post(url, json=body, headers=headers, timeout=self._settings.timeout_seconds)
        except httpx.HTTPError:
            raise NotifyError("The message service could not be reached", True) from None
        if response.status_code >= 500:
            raise NotifyError("The message service is not working right now", True)
        if response.status_code >= 400:
            try:
                errors = response.json().get("errors", [])
                reason = "; ".join(str(e.get("message", "")) for e in errors if isinstance(e, dict)) or "refused"
            except (ValueError, AttributeError):
                reason = "refused"
            raise NotifyError(f"The message service refused it: {reason}", False)

    async def send_email(self, to: str, link: str, code: str) -> None:
        await self._post("/v2/notifications/email", {
            "email_address": to, "template_id": self._settings.email_template_id,
            "personalisation": {"link": link, "code": code}})

    async def send_sms(self, to: str, link: str, code: str) -> None:
        await self._post("/v2/notifications/sms", {
            "phone_number": to, "template_id": self._settings.sms_template_id,
            "personalisation": {"link": link, "code": code}})
