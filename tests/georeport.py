"""A small Open311 GeoReport v2 server for tests: POST /requests.json (form-encoded) and
GET /requests/{id}.json, with the error array the spec describes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from tests.loopback import QuietHandler, serve

SERVICES = {"MISSED_BIN", "FLY_TIPPING"}


@dataclass
class GeoReport:
    url: str = ""
    api_key: str = "test-api-key"
    received: list[dict[str, str]] = field(default_factory=list)
    #: How many POSTs to answer with 503 before accepting (a back office having a bad day).
    fail_first: int = 0
    #: Answer with a token instead of a service_request_id (deferred ids, per the spec).
    use_token: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: service_request_id -> (status, status_notes), for GET /requests/{id}.json; every request
    #: this server created starts "open", and an id it never gave out is not found.
    statuses: dict[str, tuple[str, str]] = field(default_factory=dict)


@contextmanager
def georeport_server() -> Iterator[GeoReport]:
    state = GeoReport()

    class Handler(QuietHandler):
        _send = QuietHandler.send_json

        def do_GET(self) -> None:
            prefix, suffix = "/requests/", ".json"
            path = self.path.split("?")[0]
            if not (path.startswith(prefix) and path.endswith(suffix)):
                return self._send(404, [{"code": 404, "description": "not found"}])
            request_id = path[len(prefix):-len(suffix)]
            with state.lock:
                found = state.statuses.get(request_id)
            if found is None:
                return self._send(404, [{"code": 404, "description": f"Request {request_id} was not found"}])
            status, notes = found
            return self._send(200, [{"service_request_id": request_id, "status": status, "status_notes": notes,
                                     "service_code": "MISSED_BIN"}])

        def do_POST(self) -> None:
            if self.path != "/requests.json":
                return self._send(404, [{"code": 404, "description": "not found"}])
            if self.headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
                return self._send(400, [{"code": 400, "description": "form encoding expected"}])
            form = {k: v[0] for k, v in parse_qs(self.read_body().decode()).items()}
            with state.lock:
                if state.fail_first > 0:
                    state.fail_first -= 1
                    return self._send(503, [{"code": 503, "description": "temporarily unavailable"}])
                if form.get("api_key") != state.api_key:
                    return self._send(403, [{"code": 403, "description": "Invalid api_key received"}])
                if form.get("service_code") not in SERVICES:
                    return self._send(400, [{"code": 400,
                                             "description": f"Service code {form.get('service_code')} was not found"}])
                if not (form.get("address_string") or (form.get("lat") and form.get("long"))):
                    return self._send(400, [{"code": 400, "description": "A location is required"}])
                state.received.append(form)
                number = len(state.received)
                state.statuses[f"SR{1000 + number}"] = ("open", "")
            if state.use_token:
                return self._send(201, [{"token": f"tok-{number}"}])
            return self._send(201, [{"service_request_id": f"SR{1000 + number}", "service_notice": ""}])

    with serve(Handler) as url:
        state.url = url
        yield state
