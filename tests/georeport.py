"""A small Open311 GeoReport v2 server for tests: POST /requests.json (form-encoded),
GET /requests.json (search) and GET /requests/{id}.json.

By default it answers as the spec describes. ``wild`` makes it behave like servers councils
really run: a location only as ``lat``/``long`` (an HTML 500 page without them), a
``description`` required, ``attribute[...]`` dropped, and errors as an object
(``{"code": 400, "detail": [...]}``). ``hold`` keeps each reply back until released, so a test
can make the server slower than the hub's timeout without sleeping."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from tests.loopback import QuietHandler, serve

SERVICES = {"MISSED_BIN", "FLY_TIPPING"}
ERROR_PAGE = b"<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1>" \
             b"<p>NoMethodError: undefined method `lat' for nil</p></body></html>"


@dataclass
class GeoReport:
    url: str = ""
    api_key: str = "test-api-key"
    received: list[dict[str, str]] = field(default_factory=list)
    #: Every POST that arrived, accepted or not.
    posts: int = 0
    #: How many POSTs to answer with 503 before accepting (a back office having a bad day).
    fail_first: int = 0
    #: Answer with a token instead of a service_request_id (deferred ids, per the spec).
    use_token: bool = False
    #: Behave like servers in the wild (see the module's docstring).
    wild: bool = False
    #: While set, each POST is stored and its reply held until ``release`` is set.
    hold: bool = False
    release: threading.Event = field(default_factory=threading.Event)
    #: Extra headers on refusals (Retry-After, say) and the status to refuse with (0: none).
    refuse_with: int = 0
    refuse_headers: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: service_request_id -> (status, status_notes), for GET /requests/{id}.json; every request
    #: this server created starts "open", and an id it never gave out is not found.
    statuses: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: GET /requests/{id}.json calls, to show tracking does not ask on every page view.
    status_reads: int = 0


@contextmanager
def georeport_server() -> Iterator[GeoReport]:
    state = GeoReport()

    class Handler(QuietHandler):
        def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
            if state.wild and status >= 400 and isinstance(body, list):
                body = {"code": status, "detail": [e.get("description", "") for e in body if isinstance(e, dict)]}
            if headers:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)
                return
            self.send_json(status, body)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
            if path == "/requests.json":
                with state.lock:
                    found = [{"service_request_id": f"SR{1001 + i}", "service_code": r.get("service_code"),
                              "description": r.get("description", ""), "status": "open"}
                             for i, r in enumerate(state.received)
                             if r.get("service_code") == query.get("service_code")]
                return self._send(200, found)
            prefix, suffix = "/requests/", ".json"
            if not (path.startswith(prefix) and path.endswith(suffix)):
                return self._send(404, [{"code": 404, "description": "not found"}])
            request_id = path[len(prefix):-len(suffix)]
            with state.lock:
                state.status_reads += 1
                found_status = state.statuses.get(request_id)
            if found_status is None:
                return self._send(404, [{"code": 404, "description": f"Request {request_id} was not found"}])
            status, notes = found_status
            return self._send(200, [{"service_request_id": request_id, "status": status, "status_notes": notes,
                                     "service_code": "MISSED_BIN"}])

        def do_POST(self) -> None:
            if self.path != "/requests.json":
                return self._send(404, [{"code": 404, "description": "not found"}])
            if self.headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
                return self._send(400, [{"code": 400, "description": "form encoding expected"}])
            form = {k: v[0] for k, v in parse_qs(self.read_body().decode()).items()}
            with state.lock:
                state.posts += 1
                if state.fail_first > 0:
                    state.fail_first -= 1
                    return self._send(503, [{"code": 503, "description": "temporarily unavailable"}])
                if state.refuse_with:
                    return self._send(state.refuse_with, [{"code": state.refuse_with, "description": "slow down"}],
                                      state.refuse_headers)
                if form.get("api_key") != state.api_key:
                    return self._send(403, [{"code": 403, "description": "Invalid api_key received"}])
                if form.get("service_code") not in SERVICES:
                    return self._send(400, [{"code": 400,
                                             "description": f"Service code {form.get('service_code')} was not found"}])
                if state.wild:
                    if not (form.get("lat") and form.get("long")):
                        return self.send(500, ERROR_PAGE, "text/html")
                    if not form.get("description"):
                        return self._send(400, [{"code": 400, "description": "description is required"}])
                    form = {k: v for k, v in form.items() if not k.startswith("attribute[")}
                elif not (form.get("address_string") or (form.get("lat") and form.get("long"))):
                    return self._send(400, [{"code": 400, "description": "A location is required"}])
                state.received.append(form)
                number = len(state.received)
                state.statuses[f"SR{1000 + number}"] = ("open", "")
            if state.hold:
                state.release.wait(timeout=20)
            if state.use_token:
                return self._send(201, [{"token": f"tok-{number}"}])
            return self._send(201, [{"service_request_id": f"SR{1000 + number}", "service_notice": ""}])

    with serve(Handler) as url:
        state.url = url
        yield state
