"""The kiosk's only way to the hub: httpx with explicit timeouts, and every failure turned
into a ``HubError`` carrying a sentence a resident can be shown."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any, TypeVar

import httpx

from kiosk.workflows import messages as m
from kiosk.workflows.pin_verifier import kiosk_pin_key
from kiosk.workflows.structs import Problem, Reply, Request, check, dump, dump_json

R = TypeVar("R", bound=Reply)
Q = TypeVar("Q", bound=Request)


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


#: The machine's trust store as Debian keeps it (ca-certificates): one file per authority,
#: named by a hash of its name, so OpenSSL reads only the one a hub's certificate names, when
#: it is asked. A council's IT adds its own authority there (update-ca-certificates).
SYSTEM_AUTHORITIES = Path("/etc/ssl/certs")


def hub_trust(base_url: str, authorities: Path = SYSTEM_AUTHORITIES) -> ssl.SSLContext:
    """What the kiosk trusts when it talks to the hub. Certificates and host names are always
    checked. An https hub: the authorities in ``authorities`` (read as they are needed: the
    whole bundle, parsed at start as httpx does, was 1 MiB at rest), or certifi's bundle on a
    machine without that folder. An http hub: none, since TLS is never used (and would fail)."""
    if not base_url.startswith("https://"):
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if authorities.is_dir():
        return ssl.create_default_context(capath=str(authorities))
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


class HubClient:
    def __init__(self, base_url: str, token: str, connect_timeout: float = 3.0, read_timeout: float = 8.0,
                 transport: httpx.AsyncBaseTransport | None = None, authorities: Path = SYSTEM_AUTHORITIES) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/v1",
            headers={"Authorization": f"Bearer {token}", "User-Agent": "council-kiosk/0.1"},
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            transport=transport,
            verify=hub_trust(base_url, authorities),
        )
        #: Checks the staff PIN verifiers the hub sends this kiosk (kiosk/workflows/pin_verifier.py).
        self.pin_key = kiosk_pin_key(token.strip())

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _call(self, method: str, url: str, reply: type[R], body: Request | None = None,
                    headers: dict[str, str] | None = None) -> R:
        """One request, checked before it leaves (a request the hub would refuse is a fault
        here, named by field); the reply is checked against the Struct the hub answers with."""
        content = None
        if body is not None:
            try:
                check(dump(body), type(body))
            except Problem as found:
                raise HubRejected(422, str(found)) from None
            content = dump_json(body)
        raw = await self._raw(method, url, content=content, headers={
            **({"Content-Type": "application/json"} if content is not None else {}), **(headers or {})})
        try:
            return check(raw, reply)
        except Problem as found:
            raise HubReplyInvalid(f"{url}: {found if found.where else f'reply: {found}'}") from None

    async def _raw(self, method: str, url: str, **kwargs: Any) -> Any:
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

    async def health(self) -> None:
        await self._call("GET", "/health", m.Health)

    async def addresses(self, postcode: str) -> list[m.FoundAddress]:
        found = await self._call("POST", "/addresses/search", m.AddressList, m.AddressSearch(postcode=postcode))
        return found.addresses

    async def collections(self, uprn: str) -> m.Collections:
        return await self._call("GET", f"/addresses/{uprn}/collections", m.Collections)

    async def options(self, source: str) -> list[m.Option]:
        return (await self._call("GET", f"/options/{source}", m.Options)).options

    async def submit(self, payload: dict[str, Any], idempotency_key: str) -> str:
        """Send a queued submission as it was committed to the outbox (the hub checks its shape)."""
        raw = await self._raw("POST", "/submissions", json=payload, headers={"Idempotency-Key": idempotency_key})
        try:
            reference = check(raw, m.SubmissionOut).reference
        except Problem:
            raise HubReplyInvalid("acknowledgement is not a submission reply") from None
        if reference != payload.get("reference"):
            raise HubReplyInvalid("acknowledgement does not name our reference")
        return reference

    async def create_handoff(self, state: m.HandoffIn) -> m.HandoffOut:
        return await self._call("POST", "/handoffs", m.HandoffOut, state)

    async def handoff_progress(self, handoff_id: str) -> str:
        return (await self._call("GET", f"/handoffs/{handoff_id}", m.HandoffProgress)).state

    async def send_link(self, handoff_id: str, to: str, token: str, code: str) -> str:
        sent = await self._call("POST", f"/handoffs/{handoff_id}/send", m.SendLinkOut,
                                m.SendLinkIn(to=to, token=token, code=code))
        return sent.sent_by

    async def ask_help(self, journey: str, step: str) -> int:
        return (await self._call("POST", "/help", m.HelpOut, m.HelpIn(journey=journey, step=step))).usual_wait_minutes

    async def join(self, code: str) -> m.JoinOut:
        return await self._call("POST", "/assist/join", m.JoinOut, m.JoinIn(code=code))

    async def staff_pins(self) -> list[m.StaffPin]:
        return (await self._call("GET", "/staff-pins", m.StaffPins)).staff

    async def send_audit(self, entries: list[dict[str, Any]]) -> int:
        return (await self._call("POST", "/audit", m.Accepted, self._batch(m.AuditBatch, entries=entries))).accepted

    async def send_events(self, events: list[dict[str, Any]]) -> int:
        return (await self._call("POST", "/events", m.Accepted, self._batch(m.EventsIn, events=events))).accepted

    async def taster_state(self) -> m.TasterState:
        """Bookings due on this terminal, and staff requests for its running taster session."""
        return await self._call("GET", "/taster", m.TasterState)

    async def heartbeat(self, beat: m.Heartbeat) -> None:
        await self._call("POST", "/heartbeat", m.Accepted, beat)

    async def outbox_state(self, queued: int, held: int, quarantined: int) -> None:
        await self._call("POST", "/outbox-state", m.Accepted,
                         m.OutboxState(queued=queued, held=held, quarantined=quarantined))

    async def send_taster(self, reports: list[dict[str, Any]]) -> int:
        return (await self._call("POST", "/taster/reports", m.Accepted,
                                 self._batch(m.ReportsIn, reports=reports))).accepted

    async def taster_certificate(self, lessons: list[str], first_name: str) -> str:
        made = await self._call("POST", "/taster/certificates", m.CertificateOut,
                                m.CertificateIn(lessons=lessons, first_name=first_name))
        return made.url

    async def request_status(self, reference: str) -> m.RequestStatus:
        return await self._call("GET", f"/requests/{reference}", m.RequestStatus)

    @staticmethod
    def _batch(model: type[Q], **items: list[dict[str, Any]]) -> Q:
        """A batch from the outbox, checked before it leaves: an item the hub would refuse is a
        fault here, reported by field, not a 422 that stops every later batch."""
        try:
            return check(items, model)
        except Problem as found:
            raise HubRejected(422, str(found)) from None
