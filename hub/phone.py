"""The resident's phone: the same journey, rendered as plain HTML forms (no JavaScript needed),
carrying on from where the kiosk stopped. State lives at the hub, sealed; pages post back and
redirect (post/redirect/get), so refresh and back behave."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from hub import handoff
from hub.api import StateDep
from hub.cases import create_case, new_case
from hub.db import Address, Handoff, utcnow
from hub.gazetteer import bulky_slots
from hub.pages import NO_STORE, templates
from hub.ratelimit import SlidingWindow, limits_of
from hub.state import HubState
from kiosk.workflows.describe import OptionView
from kiosk.workflows.engine import JourneySession, format_address
from kiosk.workflows.i18n import Catalog, english
from kiosk.workflows.model import Journey, StepType
from kiosk.workflows.references import new_reference
from kiosk.workflows.validators import FieldError, validate_postcode

log = logging.getLogger("hub.phone")
router = APIRouter()
COOKIE = "handoff_"


def limiter(request: Request) -> SlidingWindow:
    cfg = request.app.state.hub.settings.handoff
    # Per client only: a limit on everyone together would let one client lock out every
    # resident. (30^8 codes, 10 tries per client per 10 minutes: guessing is useless anyway.)
    return limits_of(request.app.state).get("handoff_code", cfg.code_tries_per_client)


def _journey_of(hub: HubState, h: Handoff) -> Journey:
    journey = hub.versions.get(h.journey_id, h.journey_version)
    assert journey is not None  # a handoff is only made for a journey the hub has published
    return journey


def catalog_for(hub: HubState, h: Handoff | None) -> Catalog:
    """The language the resident used at the kiosk (English before we know which journey it is)."""
    return hub.catalogs.get(h.language if h is not None else "en") or english()


def page(request: Request, hub: HubState, name: str, context: dict[str, Any], status: int = 200,
         catalog: Catalog | None = None) -> HTMLResponse:
    c = catalog or english()
    return templates.TemplateResponse(request, name, {
        "council": hub.settings.council_name, "t": c.text, "tn": c.plural, "lang": c.code,
        "dir": "rtl" if c.rtl else "ltr", **context}, status_code=status, headers=NO_STORE)


def message(request: Request, hub: HubState, heading: str, paragraphs: list[str], status: int = 200,
            catalog: Catalog | None = None) -> HTMLResponse:
    return page(request, hub, "phone_message.html", {"heading": heading, "paragraphs": paragraphs}, status, catalog)


def start_again_text(hub: HubState, c: Catalog) -> list[str]:
    return [c.text("You can start again online, or at a {council} self-service kiosk.",
                   council=hub.settings.council_name)]


def closed_page(request: Request, hub: HubState, h: Handoff) -> HTMLResponse:
    c = catalog_for(hub, h)
    if handoff.state_of(h) == "completed":
        return message(request, hub, c.text("This has already been sent"), [
            c.text("Your reference is {reference}. Keep it to track your request.", reference=h.reference),
            c.text("Nothing more is needed.")], 410, c)
    return message(request, hub, c.text("This link has expired"), [
        c.text("Links to finish at home last 72 hours, and your answers are deleted after that."),
        *start_again_text(hub, c)], 410, c)


# ---- getting in: the link, or the short code ------------------------------------------------

@router.get("/h", response_class=HTMLResponse)
def start(request: Request, hub: StateDep) -> HTMLResponse:
    return page(request, hub, "phone_start.html", {"error": "", "code": ""})


@router.post("/h", response_class=HTMLResponse, response_model=None)
def enter_code(request: Request, hub: StateDep, code: Annotated[str, Form(max_length=40)] = "") -> Response:
    client = request.client.host if request.client else "unknown"
    if not limiter(request).allow(client):
        log.warning("short-code tries throttled")
        return message(request, hub, "Too many tries", [
            "Wait 10 minutes, then try the code again.", "Check the code on the kiosk screen or your note."], 429)
    # Before the code is known, the page is in English: which language the resident used is unknown.
    if not handoff.normalise_code(code):
        return page(request, hub, "phone_start.html", {"error": "Enter the code from the kiosk screen", "code": ""},
                    422)
    with hub.sessions() as session:
        h = handoff.by_code(session, code)
        if h is None:
            # The code stays in the box, to correct rather than type again.
            return page(request, hub, "phone_start.html", {
                "error": "That code is not right. Check it and try again, like ABCD 2345", "code": code[:40]}, 422)
        return _claim_and_go(request, hub, session, h)


@router.get("/h/{token}", response_class=HTMLResponse, response_model=None)
def open_link(request: Request, hub: StateDep, token: str) -> Response:
    """Opening the link only shows a page: the resident's own press (a POST) takes the journey,
    so a link-preview bot or a mail scanner that fetches the link takes nothing."""
    with hub.sessions() as session:
        h = handoff.by_token(session, token[:64])
    if h is None:
        return no_such_link(request, hub)
    if handoff.state_of(h) != "open":
        return closed_page(request, hub, h)
    c = catalog_for(hub, h)
    if h.claim_hash is not None:
        if handoff.holds(h, request.cookies.get(COOKIE + h.public_id)):
            return RedirectResponse(f"/j/{h.public_id}", status_code=303, headers=NO_STORE)
        return taken_page(request, hub, c)
    journey = hub.versions.get(h.journey_id, h.journey_version)
    title = c.journey(journey).title if journey is not None else ""
    return page(request, hub, "phone_open.html", {"title": title, "action": f"/h/{token[:64]}"}, catalog=c)


@router.post("/h/{token}", response_class=HTMLResponse, response_model=None)
def take_link(request: Request, hub: StateDep, token: str) -> Response:
    with hub.sessions() as session:
        h = handoff.by_token(session, token[:64])
        if h is None:
            return no_such_link(request, hub)
        return _claim_and_go(request, hub, session, h)


def no_such_link(request: Request, hub: HubState) -> HTMLResponse:
    return message(request, hub, "This link does not work", [
        "Check you scanned the whole code, or type the short code instead.",
        *start_again_text(hub, english())], 404)


def taken_page(request: Request, hub: HubState, c: Catalog) -> HTMLResponse:
    return message(request, hub, c.text("This journey is open on another device"), [
        c.text("For your privacy, only the first phone or computer that opened the link can carry on."),
        c.text("Carry on using that device. If you cannot, start again online or at a kiosk."),
    ], 403, c)


def _claim_and_go(request: Request, hub: HubState, session: Any, h: Handoff) -> Response:
    if handoff.state_of(h) != "open":
        return closed_page(request, hub, h)
    name = COOKIE + h.public_id
    value = handoff.claim(session, h, request.cookies.get(name))
    if value is None:
        return taken_page(request, hub, catalog_for(hub, h))
    response = RedirectResponse(f"/j/{h.public_id}", status_code=303, headers=NO_STORE)
    response.set_cookie(name, value, httponly=True, samesite="lax", path="/",
                        secure=hub.settings.public_url.startswith("https://"),
                        expires=h.expires_at.replace(tzinfo=dt.UTC))
    return response


# ---- the journey ------------------------------------------------------------------------------

def owned(request: Request, hub: StateDep, public_id: str) -> Handoff:
    with hub.sessions() as session:
        h = handoff.by_public_id(session, public_id[:32])
    if h is None:
        raise HTTPException(404, "No such journey")
    if not handoff.holds(h, request.cookies.get(COOKIE + h.public_id)):
        raise HTTPException(403, "This journey is open on another device")
    return h


OwnedDep = Annotated[Handoff, Depends(owned)]


def _session(hub: HubState, h: Handoff) -> JourneySession:
    assert h.sealed is not None
    return handoff.load_session(_journey_of(hub, h), hub.sealer.open(h.sealed), catalog_for(hub, h))


def _save(hub: HubState, h: Handoff, journey_session: JourneySession) -> None:
    with hub.sessions() as session:
        row = session.get(Handoff, h.id)
        if row is not None and row.sealed is not None:
            row.sealed = hub.sealer.seal(handoff.dump_session(journey_session))
            session.commit()


def _fill_options(hub: HubState, s: JourneySession) -> None:
    source = s.needs_dynamic_options()
    if source == "bulky_waste_slots":
        cfg = hub.settings.bulky_waste
        days = bulky_slots(list(cfg.days), cfg.lead_days, cfg.count, dt.date.today())
        s.set_dynamic_options(s.current.id, [OptionView(d.isoformat(), s.catalog.weekday_date(d)) for d in days])


def _addresses(hub: HubState, postcode: str) -> list[dict[str, str]]:
    with hub.sessions() as session:
        rows = session.scalars(select(Address).where(Address.postcode == postcode).order_by(Address.uprn)).all()
    return [{"uprn": a.uprn, "line1": a.line1, "line2": a.line2, "town": a.town, "postcode": a.postcode,
             "text": format_address({"line1": a.line1, "line2": a.line2, "town": a.town, "postcode": a.postcode})}
            for a in rows]


def render(request: Request, hub: HubState, h: Handoff, s: JourneySession, extra: dict[str, Any] | None = None,
           status: int = 200) -> HTMLResponse:
    step = s.current
    if step.type == StepType.CHECK_ANSWERS:
        return page(request, hub, "phone_check.html", {"h": h, "view": s.view(), "rows": s.summary()}, status,
                    s.catalog)
    view = s.view()
    context: dict[str, Any] = {"h": h, "view": view, "value": view.value or {}, "addresses": [], "mode": "select",
                               "end": bool(view.extra.get("end"))}
    if step.type == StepType.ADDRESS:
        value = view.value or {}
        context["mode"] = value.get("mode", "select") if isinstance(value, dict) else "select"
        postcode = value.get("postcode", "") if isinstance(value, dict) else ""
        if context["mode"] == "select" and postcode:
            context["addresses"] = _addresses_for(hub, postcode)
    context.update(extra or {})
    return page(request, hub, "phone_step.html", context, status, s.catalog)


@router.get("/j/{public_id}", response_class=HTMLResponse, response_model=None)
def show(request: Request, hub: StateDep, h: OwnedDep) -> Response:
    if handoff.state_of(h) != "open":
        if h.completed_at is not None:
            c = catalog_for(hub, h)
            return page(request, hub, "phone_done.html", {"h": h, "journey": c.journey(_journey_of(hub, h)),
                                                          "track": f"/track/{h.reference}"}, catalog=c)
        return closed_page(request, hub, h)
    s = _session(hub, h)
    _fill_options(hub, s)
    return render(request, hub, h, s)


def raw_answer(s: JourneySession, form: FormData) -> Any:
    step = s.current
    sid = step.id
    t = step.type
    if t == StepType.DATE:
        return {part: str(form.get(f"{sid}-{part}", "")) for part in ("day", "month", "year")}
    if t == StepType.MULTI_CHOICE:
        return [str(v) for v in form.getlist(sid)]
    if t == StepType.ADDRESS:
        if form.get("mode") == "manual":
            return {"mode": "manual", **{k: str(form.get(f"{sid}-{k}", "")) for k in ("line1", "line2", "town",
                                                                                    "postcode")}}
        return {"mode": "select", "postcode": str(form.get(f"{sid}-postcode", "")), "address": None}
    return str(form.get(sid, ""))


@router.post("/j/{public_id}", response_class=HTMLResponse, response_model=None)
async def act(request: Request, hub: StateDep, h: OwnedDep) -> Response:
    form = await request.form()  # read on the event loop; the rest is database work, in a thread
    return await run_in_threadpool(_act, request, hub, h, form)


def _act(request: Request, hub: HubState, h: Handoff, form: FormData) -> Response:
    if form.get("csrf") != h.csrf:
        c = catalog_for(hub, h)
        return message(request, hub, c.text("Sorry, that did not work"),
                       [c.text("Go back, reload the page and try again.")], 400, c)
    if handoff.state_of(h) != "open":
        return RedirectResponse(f"/j/{h.public_id}", status_code=303)
    s = _session(hub, h)
    _fill_options(hub, s)
    action = str(form.get("action", "continue"))
    here = f"/j/{h.public_id}"
    if action == "back":
        s.back()
    elif action.startswith("change:"):
        target = action.removeprefix("change:")
        if target in s.journey.step_ids and s.current.type == StepType.CHECK_ANSWERS:
            s.change(target)
    elif action == "submit" and s.current.type == StepType.CHECK_ANSWERS:
        return _complete(request, hub, h, s)
    elif s.current.type == StepType.ADDRESS and action in ("find", "manual", "search"):
        raw = raw_answer(s, form)
        if action == "manual":
            return render(request, hub, h, s, {"mode": "manual", "value": {"postcode": raw.get("postcode", "")}})
        if action == "search":
            return render(request, hub, h, s, {"mode": "select", "value": {}})
        try:
            postcode = validate_postcode(raw.get("postcode", ""), s.catalog.text("a postcode"))
        except FieldError as err:
            return render(request, hub, h, s, {"find_error": s.catalog.text(err.template, **dict(err.values)),
                                               "value": {"postcode": raw["postcode"]}}, 422)
        found = _addresses(hub, postcode)
        return render(request, hub, h, s, {"addresses": found, "value": {"postcode": postcode},
                                           "found": True})
    else:
        raw = raw_answer(s, form)
        if s.current.type == StepType.ADDRESS and raw.get("mode") == "select":
            chosen = str(form.get(f"{s.current.id}-uprn", ""))
            match = next((a for a in _addresses_for(hub, raw["postcode"]) if a["uprn"] == chosen), None)
            raw["address"] = match
        if not s.submit_answer(raw):
            return render(request, hub, h, s, status=422)  # the view carries what they typed
        _fill_options(hub, s)
    _save(hub, h, s)
    return RedirectResponse(here, status_code=303, headers=NO_STORE)


def _addresses_for(hub: HubState, postcode: str) -> list[dict[str, str]]:
    try:
        return _addresses(hub, validate_postcode(postcode))
    except FieldError:
        return []


def _complete(request: Request, hub: HubState, h: Handoff, s: JourneySession) -> Response:
    journey = s.source  # as written, in English: what the council's case records
    payload = s.submission()
    with hub.sessions() as session:
        case, _created = create_case(session, new_case(
            session, hub.sealer, journey, reference=new_reference(), idempotency_key=f"handoff-{h.public_id}",
            channel="kiosk-to-phone", kiosk_id=h.kiosk_id, site=h.site, answers=payload["answers"],
            summary=payload["summary"], submitted_at=dt.datetime.now(dt.UTC)), "from a phone")
        row = session.get(Handoff, h.id)
        assert row is not None
        row.completed_at = utcnow()
        row.reference = case.reference
        row.sealed = None  # the answers now live in the case only
        handoff.bump(session, h.site, "handoff_completed", journey.id)
        handoff.bump(session, h.site, "finished", journey.id)
        handoff.bump(session, h.site, "channel", "kiosk-to-phone")
        session.commit()
    hub.relay.wake()
    log.info("handoff completed", extra={"journey": journey.id})
    return RedirectResponse(f"/j/{h.public_id}", status_code=303, headers=NO_STORE)
