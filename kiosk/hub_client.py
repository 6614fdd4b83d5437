"""The kiosk's only way to the hub: httpx with explicit timeouts, and every failure turned
into a ``HubError`` carrying a sentence a resident can be shown."""

from __future__ import annotations

from typing import Any

import httpx


class HubError(Exception):
    """Base: the hub could not give an answer we can use."""


class HubUnavailable(HubError):
    """Network down, timeout, or the hub is failing (5xx). Worth retrying later."""


class HubRejected(HubError):
    """The hub understood and said no (4xx). ``detail`` is its reason."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail


class HubReplyInvalid(HubUnavailable):
    """The reply was not what the API promises. Treated like an outage: retry later."""


class HubClient:
    def __init__(self, base_url: str, token: str, connect_timeout: float = 3.0, read_timeout: float = 8.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/v1",
            headers={"Authorization": f"Bearer {token}", "User-Agent": "council-kiosk/0.1"},
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        try:
            response = await self._client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise HubUnavailable(f"{type(exc).__name__}: {exc}") from None
        if response.status_code >= 500:
            raise HubUnavailable(f"HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise HubReplyInvalid(f"HTTP {response.status_code}: reply is not JSON") from None
        if response.status_code >= 400:
            detail = body.get("detail") if isinstance(body, dict) else None
            raise HubRejected(response.status_code, detail if isinstance(detail, str) else "request refused")
        if not isinstance(body, dict):
            raise HubReplyInvalid("reply is not a JSON object")
        return body

    @staticmethod
    def _list_of_dicts(body: dict[str, Any], key: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
        items = body.get(key)
        if not isinstance(items, list):
            raise HubReplyInvalid(f"reply has no list '{key}'")
        out = []
        for item in items:
            if not isinstance(item, dict) or not all(isinstance(item.get(f), str) for f in fields):
                raise HubReplyInvalid(f"an item of '{key}' lacks {', '.join(fields)}")
            out.append({f: item[f] for f in fields})
        return out

    async def health(self) -> None:
        body = await self._call("GET", "/health")
        if body.get("status") != "ok":
            raise HubReplyInvalid("health reply is not ok")

    async def addresses(self, postcode: str) -> list[dict[str, str]]:
        body = await self._call("POST", "/addresses/search", json={"postcode": postcode})
        return self._list_of_dicts(body, "addresses", ("uprn", "line1", "line2", "town", "postcode"))

    async def collections(self, uprn: str) -> dict[str, Any]:
        body = await self._call("GET", f"/addresses/{uprn}/collections")
        items = self._list_of_dicts(body, "collections", ("bin", "day", "next"))
        return {"address": str(body.get("address", "")), "collections": items}

    async def options(self, source: str) -> list[dict[str, str]]:
        body = await self._call("GET", f"/options/{source}")
        return self._list_of_dicts(body, "options", ("value", "label"))

    async def submit(self, payload: dict[str, Any], idempotency_key: str) -> str:
        body = await self._call("POST", "/submissions", json=payload, headers={"Idempotency-Key": idempotency_key})
        reference = body.get("reference")
        if reference != payload.get("reference"):
            raise HubReplyInvalid("acknowledgement does not name our reference")
        return str(reference)

    async def create_handoff(self, state: dict[str, Any]) -> dict[str, str]:
        body = await self._call("POST", "/handoffs", json=state)
        fields = ("id", "url", "code", "typed_address", "expires_at")
        if not all(isinstance(body.get(f), str) for f in fields):
            raise HubReplyInvalid("handoff reply lacks url, code, typed_address or expires_at")
        return {f: body[f] for f in fields}

    async def send_link(self, handoff_id: str, to: str, token: str, code: str) -> str:
        body = await self._call("POST", f"/handoffs/{handoff_id}/send", json={"to": to, "token": token, "code": code})
        if body.get("sent_by") not in ("email", "sms"):
            raise HubReplyInvalid("send reply lacks sent_by")
        return str(body["sent_by"])

    async def ask_help(self, journey: str, step: str) -> int:
        body = await self._call("POST", "/help", json={"journey": journey, "step": step})
        minutes = body.get("usual_wait_minutes")
        if not isinstance(minutes, int):
            raise HubReplyInvalid("help reply lacks usual_wait_minutes")
        return minutes

    async def join(self, code: str) -> tuple[int, str]:
        body = await self._call("POST", "/assist/join", json={"code": code})
        if not isinstance(body.get("staff_id"), int) or not isinstance(body.get("name"), str):
            raise HubReplyInvalid("join reply lacks staff_id or name")
        return int(body["staff_id"]), str(body["name"])

    async def staff_pins(self) -> list[dict[str, Any]]:
        body = await self._call("GET", "/staff-pins")
        staff = body.get("staff")
        if not isinstance(staff, list):
            raise HubReplyInvalid("staff-pins reply lacks staff")
        return [s for s in staff if isinstance(s, dict) and isinstance(s.get("staff_id"), int)
                and isinstance(s.get("name"), str) and isinstance(s.get("pin_hash"), str)]

    async def send_audit(self, entries: list[dict[str, Any]]) -> int:
        body = await self._call("POST", "/audit", json={"entries": entries})
        return int(body.get("accepted", 0))

    async def send_events(self, events: list[dict[str, Any]]) -> int:
        body = await self._call("POST", "/events", json={"events": events})
        accepted = body.get("accepted")
        if not isinstance(accepted, int):
            raise HubReplyInvalid("events reply has no count")
        return accepted

    async def taster_state(self) -> dict[str, Any]:
        """Bookings due on this terminal, and staff requests for its running taster session."""
        body = await self._call("GET", "/taster")
        bookings, runs = body.get("bookings"), body.get("runs")
        if not isinstance(bookings, list) or not isinstance(runs, list):
            raise HubReplyInvalid("taster reply lacks bookings or runs")
        ok_bookings = [b for b in bookings if isinstance(b, dict) and isinstance(b.get("id"), int)
                       and isinstance(b.get("lessons"), list) and isinstance(b.get("group"), str)
                       and isinstance(b.get("ends_in_seconds"), int)]
        ok_runs = [r for r in runs if isinstance(r, dict) and isinstance(r.get("id"), str)
                   and isinstance(r.get("extra_minutes"), int) and isinstance(r.get("end"), bool)]
        return {"bookings": ok_bookings, "runs": ok_runs}

    async def send_taster(self, reports: list[dict[str, Any]]) -> int:
        body = await self._call("POST", "/taster/reports", json={"reports": reports})
        return int(body.get("accepted", 0))

    async def taster_certificate(self, lessons: list[str], first_name: str) -> str:
        body = await self._call("POST", "/taster/certificates", json={"lessons": lessons, "first_name": first_name})
        url = body.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise HubReplyInvalid("certificate reply lacks url")
        return url

    async def request_status(self, reference: str) -> dict[str, Any]:
        body = await self._call("GET", f"/requests/{reference}")
        if not isinstance(body.get("status_text"), str) or not isinstance(body.get("title"), str):
            raise HubReplyInvalid("status reply lacks title or status_text")
        updates = body.get("updates", [])
        return {
            "reference": str(body.get("reference", reference)),
            "title": body["title"],
            "status_text": body["status_text"],
            "updates": [u for u in updates if isinstance(u, str)] if isinstance(updates, list) else [],
        }
