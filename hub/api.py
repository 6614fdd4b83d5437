"""Kiosk API, version 1. Every route but health needs a kiosk's bearer token."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Request, Response
from pydantic import Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from hub import handoff
from hub.connectors.base import TransientRelayError
from hub.db import Address, Case, CaseUpdate, Device, utcnow
from hub.devices import UNKNOWN_TOKEN, Caller
from hub.gazetteer import bulky_slots, collections
from hub.insight import EventError, ingest
from hub.intake import MAX_ANSWERS_BYTES
from hub.notify import NotifyError
from hub.relay import relay_alerts
from hub.state import HubState
from kiosk.workflows.i18n import N_
from kiosk.workflows.messages import (
    API_ERRORS,
    Accepted,
    AddressList,
    AddressSearch,
    Collection,
    Collections,
    EventsIn,
    FoundAddress,
    HandoffIn,
    HandoffOut,
    HandoffProgress,
    Option,
    Options,
    OutboxState,
    RequestStatus,
    SendLinkIn,
    SendLinkOut,
    SubmissionIn,
    SubmissionOut,
)
from kiosk.workflows.structs import check, dump
from kiosk.workflows.validators import (
    FieldError,
    validate_email,
    validate_phone,
    validate_postcode,
)

router = APIRouter(prefix="/api/v1", responses=API_ERRORS)

#: Marked for translation: the tracking page and the kiosk's "Track a request" show them in the
#: resident's language (the kiosk looks the English text up in its catalog).
STATUS_TEXT = {
    "received": N_("Received. We have your request and will deal with it soon."),
    "in_progress": N_("In progress. The team is working on it."),
    "closed": N_("Done. This request is closed."),
}


async def state(request: Request) -> HubState:
    """The app's state (async: reading an attribute needs no hop to a worker thread)."""
    hub_state: HubState = request.app.state.hub
    return hub_state


StateDep = Annotated[HubState, Depends(state)]


def _caller(request: Request) -> Caller:
    found: Caller | None = getattr(request.state, "device", None)
    if found is None:  # a route under the kiosk API the edge did not check: a mistake, refused
        raise HTTPException(401, "Send the kiosk's device token as 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    return found


async def device(request: Request, hub: StateDep) -> Caller:
    """The kiosk calling: found by the edge (hub/edges.py) before the body was read, and, if the
    edge let it in as a kiosk seen lately, confirmed now (its token still its own, unrevoked).
    (Async: no hop to a worker thread when the edge already asked the database.)"""
    found = _caller(request)
    if not getattr(request.state, "device_confirmed", True) and not await hub.intake.confirm(found):
        raise HTTPException(401, UNKNOWN_TOKEN, headers={"WWW-Authenticate": "Bearer"})
    return found


async def device_to_confirm(request: Request) -> Caller:
    """The kiosk calling, as the edge found it, for a route that confirms it itself (submissions:
    the intake confirms a whole batch in one query)."""
    return _caller(request)


DeviceDep = Annotated[Caller, Depends(device)]
DeviceToConfirm = Annotated[Caller, Depends(device_to_confirm)]


@router.get("/health")
def health(hub: StateDep) -> dict[str, object]:
    """Up, and any relay alert, for a council's monitoring. Public, so counts only: failed cases,
    cases waiting past the alert time, kiosks holding items (which kiosks: the staff cases page)."""
    alerts = relay_alerts(hub.sessions, hub.settings.relay.alert_after_minutes)
    return {"status": "ok", "relay": {"failed": alerts.failed, "overdue": alerts.overdue,
                                      "oldest_pending_minutes": alerts.oldest_pending_minutes,
                                      "kiosks_holding_items": len(alerts.kiosks)},
            "alerts": alerts.lines(name_kiosks=False)}


@router.post("/addresses/search", response_model=AddressList)
def addresses(hub: StateDep, _: DeviceDep, body: Annotated[AddressSearch, Body()]) -> AddressList:
    """Addresses at a postcode. A POST, so the postcode never sits in a URL (or an access log)."""
    try:
        normalised = validate_postcode(body.postcode)
    except FieldError as err:
        raise HTTPException(422, err.message) from None
    with hub.sessions() as session:
        rows = session.scalars(select(Address).where(Address.postcode == normalised).order_by(Address.uprn)).all()
    # Street order: by the building's number ("Flat 2, 5 High Street" sorts as 5), then by name.
    rows = sorted(rows, key=lambda a: (_number(a.line2) if a.line2[:1].isdigit() else _number(a.line1),
                                       a.line2, a.line1))
    return AddressList(
        postcode=normalised,
        addresses=[
            FoundAddress(uprn=a.uprn, line1=a.line1, line2=a.line2, town=a.town, postcode=a.postcode) for a in rows
        ],
    )


def _number(line: str) -> int:
    digits = ""
    for ch in line:
        if ch.isdigit():
            digits += ch
        elif digits:
            break
    return int(digits) if digits else 10**6


@router.get("/addresses/{uprn}/collections", response_model=Collections)
def bin_collections(hub: StateDep, _: DeviceDep, uprn: str) -> Collections:
    with hub.sessions() as session:
        address = session.get(Address, uprn)
    if address is None:
        raise HTTPException(404, "No address with that UPRN")
    return Collections(
        uprn=address.uprn,
        address=", ".join(p for p in (address.line1, address.line2, address.town, address.postcode) if p),
        round=address.bin_round,
        collections=[check(c, Collection) for c in collections(address, dt.date.today())],
    )


@router.get("/options/{source}", response_model=Options)
def options(hub: StateDep, _: DeviceDep, source: str) -> Options:
    if source != "bulky_waste_slots":
        raise HTTPException(404, f"No option source called {source!r}")
    cfg = hub.settings.bulky_waste
    days = bulky_slots(list(cfg.days), cfg.lead_days, cfg.count, dt.date.today())
    return Options(options=[Option(value=d.isoformat(), label=f"{d:%A} {d.day} {d:%B}") for d in days])


@router.post("/submissions", response_model=SubmissionOut, status_code=201)
async def submit(
    response: Response,
    hub: StateDep,
    dev: DeviceToConfirm,
    body: Annotated[SubmissionIn, Body()],
    idempotency_key: Annotated[str, Header(min_length=8, max_length=64)],
) -> SubmissionOut:
    """(Async: stored by the intake's writer thread, which commits what arrives together; see
    hub/intake.py.)"""
    stored, created = await hub.intake.store(dev, body, idempotency_key, fingerprint(body),
                                             len(json.dumps(body.answers)))
    if not created:
        response.status_code = 200
    return SubmissionOut(reference=stored.reference, status=stored.status, replayed=not created)


def fingerprint(body: SubmissionIn) -> str:
    """What a retry must repeat exactly: the submission, whatever order its keys came in."""
    canonical = json.dumps(dump(body), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def refresh_from_back_office(hub: HubState, reference: str) -> None:
    """For cases relayed over Open311, ask the back office for news (GET /requests/{id}), at
    most once every ``status_refresh_minutes`` per case. "open" with no notes is what a new
    request is, so the case stays "received"; open with notes is in progress; closed is closed.
    A back office that does not answer leaves the stored status as it is."""
    if hub.open311 is None or hub.settings.open311 is None:
        return
    external_id = await run_in_threadpool(_due_for_refresh, hub, reference)
    if external_id is None:
        return
    try:
        status, notes = await hub.open311.status(external_id)
    except TransientRelayError:
        return
    await run_in_threadpool(_store_status, hub, reference, status, notes)


def _due_for_refresh(hub: HubState, reference: str) -> str | None:
    """The back office's id for the case, if it is time to ask about it (noted as asked)."""
    assert hub.settings.open311 is not None
    with hub.sessions() as session:
        case = session.scalar(select(Case).where(Case.reference == reference))
        if case is None or case.connector != "open311" or case.relay_state != "sent" or not case.external_id:
            return None
        fresh = utcnow() - dt.timedelta(minutes=hub.settings.open311.status_refresh_minutes)
        if case.status == "closed" or (case.status_checked_at is not None and case.status_checked_at > fresh):
            return None
        case.status_checked_at = utcnow()  # before asking: page views meanwhile do not ask again
        session.commit()
        return case.external_id


def _store_status(hub: HubState, reference: str, status: str, notes: str) -> None:
    assert hub.settings.open311 is not None
    new = "closed" if status == "closed" else ("in_progress" if notes else "received")
    note = hub.sealer.seal({"note": notes[:300]}) if notes and hub.settings.open311.show_status_notes else None
    with hub.sessions() as session:
        case = session.scalar(select(Case).where(Case.reference == reference))
        if case is not None and case.status != new:
            case.status = new
            text = {"closed": "Closed by the team", "in_progress": "Being dealt with by the team"}.get(new)
            if text:
                session.add(CaseUpdate(case_id=case.id, text=text, note_sealed=note))
            session.commit()


def request_status(hub: HubState, reference: str) -> RequestStatus | None:
    with hub.sessions() as session:
        case = session.scalar(select(Case).where(Case.reference == reference))
        if case is None:
            return None
        return RequestStatus(
            reference=case.reference,
            title=case.journey_title,
            received_at=case.received_at,
            status=case.status,
            status_text=STATUS_TEXT.get(case.status, case.status),
            updates=[f"{u.at:%d %B %Y}: {u.text}" + (f": {hub.sealer.open(u.note_sealed)['note']}"
                                                      if u.note_sealed else "") for u in case.updates],
        )


@router.post("/handoffs", response_model=HandoffOut, status_code=201)
def new_handoff(hub: StateDep, dev: DeviceDep, body: Annotated[HandoffIn, Body()]) -> HandoffOut:
    """A resident wants to finish this journey on their phone: store it, return the link."""
    journey = hub.versions.get(body.journey_id, body.journey_version)
    if journey is None or journey.submit is None:
        raise HTTPException(422, f"Unknown journey {body.journey_id!r}, or it takes no submissions")
    unknown = sorted((set(body.answers) | set(body.history)) - set(journey.step_ids))
    if unknown:
        raise HTTPException(422, f"The journey has no steps called: {', '.join(unknown)}")
    if len(json.dumps(body.answers)) > MAX_ANSWERS_BYTES:
        raise HTTPException(413, "Answers are too large")
    base = hub.settings.public_url.rstrip("/")
    with hub.sessions() as session:
        state = {k: v for k, v in dump(body).items() if k not in ("journey_id", "language")}
        made = handoff.create(session, hub.sealer, journey, state,
                              dev.site, dev.kiosk_id, hub.settings.handoff.valid_hours,
                              body.language if body.language in hub.catalogs else "en")
    return HandoffOut(id=made.public_id, url=f"{base}/h/{made.token}", code=handoff.format_code(made.code),
                      typed_address=f"{base}/h", expires_at=made.expires_at)


@router.get("/handoffs/{public_id}", response_model=HandoffProgress)
def handoff_progress(hub: StateDep, dev: DeviceDep, public_id: str) -> HandoffProgress:
    """For the kiosk that made it only: has a phone taken the journey, or finished it? The kiosk
    leaves its QR code once one has."""
    with hub.sessions() as session:
        h = handoff.by_public_id(session, public_id[:32])
        if h is None or h.kiosk_id != dev.kiosk_id:
            raise HTTPException(404, "No such handoff from this kiosk")
        state = handoff.state_of(h)
    if state == "completed":
        return HandoffProgress(state="finished")
    if state == "expired":
        return HandoffProgress(state="expired")
    return HandoffProgress(state="on_phone" if h.claim_hash is not None else "waiting")


@router.post("/handoffs/{public_id}/send", response_model=SendLinkOut)
async def send_link(hub: StateDep, dev: DeviceDep, public_id: str, body: Annotated[SendLinkIn, Body()]) -> SendLinkOut:
    """Send the resident their link by email or text, through GOV.UK Notify."""
    if hub.notify is None:
        raise HTTPException(501, "Sending links is not set up at this council")
    by: Literal["email", "sms"]
    try:
        if "@" in body.to:
            to, by = validate_email(body.to), "email"
        else:
            to, by = validate_phone(body.to, "a mobile number"), "sms"
            if not to.startswith("07"):
                raise FieldError("Enter a mobile number, like 07700 900 982, or an email address")
    except FieldError as err:
        raise HTTPException(422, err.message) from None
    await run_in_threadpool(_check_send, hub, dev, public_id, body)
    link = f"{hub.settings.public_url.rstrip('/')}/h/{body.token}"
    try:
        if by == "email":
            await hub.notify.send_email(to, link, body.code)
        else:
            await hub.notify.send_sms(to, link, body.code)
    except NotifyError as err:
        raise HTTPException(503 if err.retryable else 422, err.reason) from None
    return SendLinkOut(sent_by=by)


@router.post("/events", response_model=Accepted)
def events(hub: StateDep, dev: DeviceDep, body: Annotated[EventsIn, Body()]) -> Accepted:
    """Anonymous usage events for insight. Ids already seen are ignored, so retries are safe."""
    with hub.sessions() as session:
        try:
            new = ingest(session, body.events, hub.versions.steps_of, dev.site, dev.kiosk_id)
        except EventError as exc:
            raise HTTPException(422, str(exc)) from None
    return Accepted(accepted=new)


@router.post("/outbox-state", response_model=Accepted)
def outbox_state(hub: StateDep, dev: DeviceDep, body: Annotated[OutboxState, Body()]) -> Accepted:
    """A kiosk says how its queue stands, when that changes (counts only)."""
    with hub.sessions() as session:
        found = session.get(Device, dev.id)
        assert found is not None
        found.outbox_queued, found.outbox_held, found.outbox_quarantined = body.queued, body.held, body.quarantined
        found.outbox_reported_at = utcnow()
        session.commit()
    return Accepted(accepted=1)


def _check_send(hub: HubState, dev: Caller, public_id: str, body: SendLinkIn) -> None:
    with hub.sessions() as session:
        h = handoff.by_public_id(session, public_id[:32])
        if (h is None or h.kiosk_id != dev.kiosk_id or h.token_hash != handoff.digest(body.token)
                or h.code_hash != handoff.digest(handoff.normalise_code(body.code))):
            raise HTTPException(404, "No such handoff from this kiosk")
        if handoff.state_of(h) != "open":
            raise HTTPException(410, "This handoff has expired or been sent")


@router.get("/requests/{reference}", response_model=RequestStatus)
async def track(hub: StateDep, _: DeviceDep, reference: Annotated[str, Field(max_length=20)]) -> RequestStatus:
    await refresh_from_back_office(hub, reference.upper())
    found = await run_in_threadpool(request_status, hub, reference.upper())
    if found is None:
        raise HTTPException(404, "We cannot find a request with that reference")
    return found
