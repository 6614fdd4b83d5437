"""The hub's edge, before any route runs: who may send a body, how big it may be, what JSON it
may hold, and the headers every answer carries.

- A kiosk API call (``/api/v1/...`` but health) without a valid device token is refused before
  its body is read, so nobody without a token can make the hub read or parse anything.
- A body over ``MAX_BODY_BYTES`` is refused with 413 before it is parsed (by its declared
  length, or as it arrives).
- JSON may not hold NaN or Infinity, nor integers the database cannot store (at or above 2^63):
  refused with 422 here instead of failing as a 500 further in.
- Every response says: no sniffing, no framing, no referrer, a content security policy (pages
  use only the hub's own scripts and styles), and HSTS when the hub is served over https.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The largest request body: a kiosk's biggest (a submission's answers, at most 64 KB, and its
#: summary) fits many times over.
MAX_BODY_BYTES = 512 * 1024
LARGEST_INT = 2**63 - 1
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


class BodyRefused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _reject_constant(name: str) -> float:
    raise BodyRefused(422, f"Numbers must be finite: {name} is not allowed")


def _checked_int(text: str) -> int:
    if len(text.lstrip("-")) > 19 or not -LARGEST_INT - 1 <= (value := int(text)) <= LARGEST_INT:
        raise BodyRefused(422, "A number is too large: integers must be below 2^63")
    return value


NUL_REFUSED = "Text may not contain the NUL character (\\u0000)"


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def check_json(body: bytes) -> None:
    """Refuse what the routes could not store or compare; leave the rest to their models.
    PostgreSQL cannot store NUL in text (nor compare with it): refused here for every route."""
    try:
        decoded = json.loads(body, parse_constant=_reject_constant, parse_int=_checked_int)
    except (ValueError, RecursionError):
        return  # not JSON at all: the route's own validation answers with 422
    if _has_nul(decoded):
        raise BodyRefused(422, NUL_REFUSED)


def check_form(body: bytes) -> None:
    """A form (or anything not JSON) with a NUL in it, escaped (%00) or not."""
    if b"\x00" in body or b"%00" in body:
        raise BodyRefused(422, NUL_REFUSED)


class Edges:
    def __init__(self, app: ASGIApp, public_https: bool) -> None:
        self.app = app
        self.public_https = public_https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._with_headers(send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path: str = scope["path"]
        if "\x00" in path or b"%00" in scope.get("query_string", b""):
            await _answer(send, 422, NUL_REFUSED)
            return
        if path.startswith("/api/v1/") and path != "/api/v1/health":
            # A kiosk seen in the last half minute comes in (its call is confirmed before anything
            # is done for it); otherwise a database look-up, on the intake's device thread.
            intake = scope["app"].state.hub.intake
            authorization = headers.get("authorization", "")
            found = intake.known(authorization)
            scope.setdefault("state", {})["device_confirmed"] = found is None
            if found is None:
                found = await intake.device(authorization)
            if isinstance(found, str):
                await _answer(send, 401, found, {"WWW-Authenticate": "Bearer"})
                return
            scope["state"]["device"] = found  # for the route's device dependency (hub/api.py)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            await _answer(send, 413, f"The request is too large (at most {MAX_BODY_BYTES // 1024} KB)")
            return
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        try:
            body = await _read(receive)
            if headers.get("content-type", "").split(";")[0].strip() == "application/json":
                check_json(body)
            else:
                check_form(body)
        except BodyRefused as refused:
            await _answer(send, refused.status, refused.detail)
            return
        await self.app(scope, _replay(body, receive), send)

    def _with_headers(self, send: Send) -> Send:
        extra = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                 (b"referrer-policy", b"no-referrer"), (b"content-security-policy", CSP.encode())]
        if self.public_https:
            extra.append((b"strict-transport-security", b"max-age=31536000"))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *((k, v) for k, v in extra if k not in have)]
            await send(message)

        return sending


async def _read(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyRefused(413, f"The request is too large (at most {MAX_BODY_BYTES // 1024} KB)")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replaying() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: a disconnect, when it comes

    return replaying


async def _answer(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items())]})
    await send({"type": "http.response.body", "body": body})
