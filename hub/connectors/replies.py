"""Reading a back office's answer when it is not the one hoped for: a readable reason from
whatever shape the error came in, how long it asked us to wait, and whether a failed request
may still have arrived."""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
from typing import Any

import httpx

from hub.connectors.base import PermanentRelayError, TransientRelayError

#: Longest reason kept on a case: enough to act on, never a whole error page.
REASON_CHARS = 300
#: Refusals: the back office will answer the same again, so a person must look.
PERMANENT = {400, 401, 403, 404, 405, 409, 410, 413, 415, 422}


def refuse_unless_ok(response: httpx.Response) -> None:
    """Raise for anything but a 2xx: failed (a person must look) or worth another try."""
    status = response.status_code
    if status in PERMANENT:
        raise PermanentRelayError(f"HTTP {status}: {why_refused(response)}")
    if not 200 <= status < 300:
        raise TransientRelayError(f"HTTP {status}: {why_refused(response)}", retry_after=retry_after(response))


def why_refused(response: httpx.Response) -> str:
    """The spec's error array, an object with ``code``/``detail``/``description``/``message``,
    ``{"detail": [...]}`` as FastAPI-style servers give, an HTML error page, or plain text."""
    try:
        body: Any = response.json()
    except ValueError:
        return _from_text(response.text) or "no error description"
    return _from_json(body) or "no error description"


def _from_json(body: Any) -> str:
    if isinstance(body, list):
        parts = [_from_json(item) for item in body]
        return "; ".join(p for p in parts if p)[:REASON_CHARS]
    if isinstance(body, dict):
        words = ""
        for key in ("description", "detail", "message", "error_description", "error", "title"):
            if body.get(key) not in (None, "", []):
                value = body[key]
                words = value if isinstance(value, str) else _from_json(value)
                break
        if not words and "msg" in body:  # one item of a validation error list
            where = ".".join(str(p) for p in body.get("loc", []) if p != "body")
            words = f"{where}: {body['msg']}" if where else str(body["msg"])
        code = body.get("code")
        if code not in (None, "") and str(code) not in words:
            words = f"{code} {words}".strip()
        return words[:REASON_CHARS]
    if isinstance(body, str | int | float):
        return str(body)[:REASON_CHARS]
    return ""


def _from_text(text: str) -> str:
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.S | re.I)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S | re.I)
    found = [html.unescape(re.sub(r"<[^>]+>", " ", m.group(1))) for m in (title, heading) if m]
    if not found and "<" not in text[:200]:
        found = [text]
    words = " - ".join(dict.fromkeys(" ".join(f.split()) for f in found if f.strip()))
    return words[:REASON_CHARS]


def retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def sent_uncertain(exc: httpx.HTTPError) -> bool:
    """Whether a request that failed may still have reached the back office: a connection that
    never opened did not; a timeout or a dropped connection after sending may have."""
    return not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
