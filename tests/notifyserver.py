"""A GOV.UK Notify-compatible test server on loopback (the real API is not reachable here).

It checks what Notify checks: a HS256 JWT whose ``iss`` is the service id, signed with the
key's secret, with an ``iat`` within 30 seconds; and the fields of each message."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jwt

from tests.loopback import QuietHandler, serve


@dataclass
class FakeNotify:
    url: str = ""
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def api_key(self) -> str:
        return f"kiosk_test-{self.service_id}-{self.secret}"


def check_jwt(state: FakeNotify, header: str) -> str | None:
    """None if the token is good, else Notify's error message. Checked with PyJWT, an
    implementation independent of the hub's own signing."""
    if not header.startswith("Bearer "):
        return "Unauthorized: authentication token must be provided"
    token = header.removeprefix("Bearer ")
    try:
        body = jwt.decode(token, state.secret, algorithms=["HS256"], options={"require": ["iss", "iat"],
                                                                             "verify_iat": False})
    except jwt.InvalidAlgorithmError:
        return "Invalid token: algorithm"
    except jwt.InvalidSignatureError:
        return "Invalid token: signature"
    except jwt.PyJWTError:
        return "Invalid token: malformed"
    if body.get("iss") != state.service_id:
        return "Invalid token: service not found"
    if abs(time.time() - float(body.get("iat", 0))) > 30:
        return "Error: Your system clock must be accurate to within 30 seconds"
    return None


@contextmanager
def notify_server() -> Iterator[FakeNotify]:
    state = FakeNotify()

    class Handler(QuietHandler):
        _send = QuietHandler.send_json

        def do_POST(self) -> None:
            problem = check_jwt(state, self.headers.get("Authorization", ""))
            if problem:
                return self._send(403, {"errors": [{"error": "AuthError", "message": problem}], "status_code": 403})
            body = json.loads(self.read_body() or b"{}")
            kind = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}.get(self.path)
            recipient = body.get("email_address" if kind == "email" else "phone_number")
            if kind is None or not recipient or not body.get("template_id"):
                return self._send(400, {"errors": [{"error": "ValidationError", "message": "bad request"}]})
            if str(recipient).startswith("refuse"):
                return self._send(400, {"errors": [{"error": "BadRequestError",
                                                    "message": "Can't send to this recipient using a team-only API key"}]})
            state.sent.append((kind, body))
            return self._send(201, {"id": str(uuid.uuid4()), "reference": None, "content": {}})

    with serve(Handler) as url:
        state.url = url
        yield state
