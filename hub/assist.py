"""Officer assist at the hub: "Get help" requests, staff sign-in, one-time join codes, the
audit log. Kiosk-facing routes are under /api/v1; staff pages under /staff."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Form, Header, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hub.api import DeviceDep, StateDep
from hub.csv_download import csv_download
from hub.db import AssistCode, AuditEntry, Device, HelpRequest, StaffUser, audit, utcnow
from hub.devices import bearer_token
from hub.form_dates import read_date
from hub.handoff import digest
from hub.pages import NO_STORE, templates
from hub.permissions import home_page, require, scope_of
from hub.ratelimit import limits_of
from hub.staff import (
    SESSION_COOKIE,
    SignedIn,
    check_csrf,
    check_password,
    current,
    end_session,
    signed_in,
    staff_may_assist,
    start_session,
)
from hub.state import HubState
from kiosk.workflows.messages import (
    API_ERRORS,
    Accepted,
    AuditBatch,
    HelpIn,
    HelpOut,
    JoinIn,
    JoinOut,
    StaffPin,
    StaffPins,
)
from kiosk.workflows.pin_verifier import keyed_verifier, kiosk_pin_key

api = APIRouter(prefix="/api/v1", responses=API_ERRORS)
pages = APIRouter()
CODE_MINUTES = 2
#: Audit entries a kiosk made while offline arrive late, but not this late.
AUDIT_MAX_AGE_DAYS = 30
#: Wrong join codes typed at a kiosk before its live code is ended.
WRONG_CODE_TRIES = 3
USUAL_WAIT_MINUTES = 5



# ---- kiosk API ---------------------------------------------------------------------------------


@api.post("/help", response_model=HelpOut, status_code=201)
def ask_for_help(hub: StateDep, dev: DeviceDep, body: Annotated[HelpIn, Body()]) -> HelpOut:
    with hub.sessions() as session:
        row = HelpRequest(kiosk_id=dev.kiosk_id, site=dev.site, journey=body.journey, step=body.step)
        session.add(row)
        session.commit()
        return HelpOut(id=row.id, usual_wait_minutes=USUAL_WAIT_MINUTES)


@api.post("/assist/join", response_model=JoinOut)
def join(hub: StateDep, dev: DeviceDep, body: Annotated[JoinIn, Body()]) -> JoinOut:
    """An officer typed a code on this kiosk's Staff pad. One use, two minutes, this kiosk only."""
    code = body.code.replace(" ", "")
    with hub.sessions() as session:
        live = session.scalar(select(AssistCode).where(AssistCode.kiosk_id == dev.kiosk_id,
                                                       AssistCode.used_at.is_(None)))
        if live is None or live.code_hash != digest(code):
            if live is not None:
                # Guessing: a few wrong codes end the live one (the officer gets a new one).
                session.execute(update(AssistCode).where(AssistCode.id == live.id)
                                .values(wrong_tries=AssistCode.wrong_tries + 1))
                session.refresh(live)  # counted in the database: every process's wrong tries add up
                if live.wrong_tries >= WRONG_CODE_TRIES:
                    live.used_at = utcnow()
                audit(session, 0, "(unknown)", dev.kiosk_id, dev.site, "code_refused",
                      f"wrong join code, {live.wrong_tries} of {WRONG_CODE_TRIES}")
                session.commit()
            raise HTTPException(404, "That code is not right for this kiosk")
        row = live
        if row.expires_at <= utcnow():
            raise HTTPException(410, "That code has expired. Ask for a new one on the officer page.")
        row.used_at = utcnow()
        user = session.get(StaffUser, row.staff_id)
        assert user is not None
        help_request = session.get(HelpRequest, row.help_id)
        if help_request is not None:
            help_request.status = "joined"
        audit(session, user.id, user.display_name, dev.kiosk_id, dev.site, "joined", "with a one-time code")
        session.commit()
        return JoinOut(staff_id=user.id, name=user.display_name)


@api.get("/staff-pins", response_model=StaffPins)
def staff_pins(hub: StateDep, dev: DeviceDep, authorization: Annotated[str, Header()] = "") -> StaffPins:
    """Verifiers of the PINs of staff who may help at this kiosk's site, kept by the kiosk for when
    the hub is down: keyed to this kiosk's token, so the list alone checks nothing."""
    key = kiosk_pin_key(bearer_token(authorization))
    with hub.sessions() as session:
        users = session.scalars(select(StaffUser).where(StaffUser.pin_hash != "", StaffUser.disabled_at.is_(None),
                                                        StaffUser.role.in_(("officer", "library", "admin")))).all()
    return StaffPins(staff=[StaffPin(staff_id=u.id, name=u.display_name, verifier=keyed_verifier(u.pin_hash, key))
                            for u in users if u.site in ("", dev.site)])


@api.post("/audit", response_model=Accepted)
def record_audit(hub: StateDep, dev: DeviceDep, body: Annotated[AuditBatch, Body()]) -> Accepted:
    new = 0
    now = utcnow()
    with hub.sessions() as session:
        for e in body.entries:
            if session.get(AuditEntry, e.id) is not None:
                continue
            at = e.at.astimezone(dt.UTC).replace(tzinfo=None) if e.at.tzinfo else e.at
            # A kiosk speaks only for staff who may work at its site, about the recent past
            # (entries made offline arrive late, never from the future or months back).
            if not staff_may_assist(session, e.staff_id, dev.site):
                raise HTTPException(422, f"Staff member {e.staff_id} cannot assist at this kiosk's site")
            if not now - dt.timedelta(days=AUDIT_MAX_AGE_DAYS) <= at <= now + dt.timedelta(minutes=5):
                raise HTTPException(422, "An audit entry's time must be within the last "
                                         f"{AUDIT_MAX_AGE_DAYS} days")
            # Named as the hub knows them: nothing a kiosk typed is kept.
            named = session.get(StaffUser, e.staff_id)
            assert named is not None  # staff_may_assist found them
            audit(session, e.staff_id, named.display_name, dev.kiosk_id, dev.site, e.action, e.step, e.id, at)
            new += 1
        session.commit()
    return Accepted(accepted=new)


# ---- staff pages -------------------------------------------------------------------------------

def waiting(seconds: float) -> str:
    if seconds < 90:
        whole = max(1, round(seconds))
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = round(seconds / 60)
    return f"{minutes} minutes"


def page(request: Request, hub: HubState, name: str, context: dict[str, object], status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"council": hub.settings.council_name,
                                                      "refresh": hub.settings.staff_refresh_seconds, **context},
                                      status_code=status, headers=NO_STORE)


@pages.get("/staff/login", response_class=HTMLResponse)
def login_form(request: Request, hub: StateDep, next: str = "/staff/help") -> HTMLResponse:
    csrf = secrets.token_urlsafe(16)
    response = page(request, hub, "staff_login.html", {"error": "", "next": next, "csrf": csrf})
    response.set_cookie("login_csrf", csrf, httponly=True, samesite="strict", path="/staff/login")
    return response


@pages.post("/staff/login", response_class=HTMLResponse, response_model=None)
def login(request: Request, hub: StateDep, username: Annotated[str, Form(max_length=64)] = "",
          password: Annotated[str, Form(max_length=200)] = "", csrf: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/staff/help") -> Response:
    if not csrf or csrf != request.cookies.get("login_csrf"):
        return page(request, hub, "staff_login.html", {"error": "The form expired. Try again.", "next": next,
                                                        "csrf": ""}, 403)
    client = request.client.host if request.client else "unknown"
    guard = limits_of(request.app.state).sign_in
    wait = guard.wait_for(username, client)
    if wait > 0:
        return page(request, hub, "staff_login.html", {
            "error": f"Too many wrong passwords. Wait {waiting(wait)} and try again.", "next": next,
            "csrf": csrf}, 429)
    with hub.sessions() as session:
        user = check_password(session, username, password)
        if user is None:
            guard.failed(username, client)
            return page(request, hub, "staff_login.html", {"error": "Wrong username or password", "next": next,
                                                            "csrf": csrf}, 401)
        guard.succeeded(username)
        home = home_page(user)
        value, _ = start_session(session, user)
    # Where they asked to go, or the page their role is for (never one it would be refused).
    asked = next.startswith("/staff/") or next == "/insight"
    target = next if asked and next != "/staff/help" else home
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="strict",
                        secure=hub.settings.public_url.startswith("https://"))
    return response


@pages.post("/staff/logout")
def logout(request: Request, hub: StateDep, csrf: Annotated[str, Form()] = "") -> Response:
    who = current(request)
    if who is not None:
        check_csrf(who, csrf)
        with hub.sessions() as session:
            end_session(session, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/staff/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


WhoDep = Annotated[SignedIn, Depends(signed_in)]


def age(at: dt.datetime) -> str:
    minutes = int((utcnow() - at).total_seconds() // 60)
    return "just now" if minutes < 1 else f"{minutes} minute{'s' if minutes != 1 else ''} ago"


@pages.get("/staff/help", response_class=HTMLResponse)
def help_list(request: Request, hub: StateDep, who: WhoDep) -> HTMLResponse:
    site = scope_of(who.user, "help_requests")
    with hub.sessions() as session:
        query = select(HelpRequest).where(HelpRequest.status == "open").order_by(HelpRequest.created_at)
        if site is not None:
            query = query.where(HelpRequest.site == site)
        rows = session.scalars(query).all()
    items = [{"id": r.id, "kiosk": r.kiosk_id, "site": r.site, "age": age(r.created_at),
              "where": hub.journeys[r.journey].title if r.journey in hub.journeys else "On the home screen"}
             for r in rows]
    return page(request, hub, "staff_help.html", {"user": who.user, "csrf": who.csrf, "items": items})


def issue_code(session: Session, kiosk_id: str, staff_id: int, help_id: int = 0) -> str:
    """A one-time code for that kiosk's Staff pad, valid CODE_MINUTES; only its hash is kept."""
    code = f"{secrets.randbelow(10**6):06d}"
    # One live code per kiosk: a new one ends any other.
    session.execute(update(AssistCode).where(AssistCode.kiosk_id == kiosk_id, AssistCode.used_at.is_(None))
                    .values(used_at=utcnow()))
    session.add(AssistCode(kiosk_id=kiosk_id, code_hash=digest(code), staff_id=staff_id, help_id=help_id,
                           expires_at=utcnow() + dt.timedelta(minutes=CODE_MINUTES)))
    return code


@pages.post("/staff/help/{help_id}/claim", response_class=HTMLResponse)
def claim(request: Request, hub: StateDep, who: WhoDep, help_id: int,
          csrf: Annotated[str, Form()] = "") -> HTMLResponse:
    check_csrf(who, csrf)
    with hub.sessions() as session:
        row = session.get(HelpRequest, help_id)
        if row is None or row.status not in ("open", "claimed"):
            raise HTTPException(404, "That request has gone: someone else may have it")
        require(who.user, "help_requests", row.site)
        row.status, row.claimed_by = "claimed", who.user.id
        device = session.scalar(select(Device).where(Device.kiosk_id == row.kiosk_id))
        code = issue_code(session, row.kiosk_id, who.user.id, row.id)
        audit(session, who.user.id, who.user.display_name, row.kiosk_id, row.site, "claimed_help",
              f"help request {row.id}")
        session.commit()
        kiosk, site = row.kiosk_id, device.site if device else row.site
    return page(request, hub, "staff_code.html", {"user": who.user, "csrf": who.csrf, "code": f"{code[:3]} {code[3:]}",
                                                   "kiosk": kiosk, "site": site, "minutes": CODE_MINUTES})


def audit_rows(hub: HubState, day: dt.date) -> list[list[str]]:
    start = dt.datetime.combine(day, dt.time())
    with hub.sessions() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.at >= start,
                                                        AuditEntry.at < start + dt.timedelta(days=1))
                               .order_by(AuditEntry.at)).all()
    return [[f"{r.at:%H:%M:%S}", r.staff_name, str(r.staff_id), r.kiosk_id, r.site, r.action.replace("_", " "),
             r.detail] for r in rows]


def admin(who: WhoDep) -> SignedIn:
    scope_of(who.user, "audit")
    return who


AdminDep = Annotated[SignedIn, Depends(admin)]
AUDIT_COLUMNS = ["Time (UTC)", "Staff", "Staff id", "Kiosk", "Site", "Action", "Detail"]


@pages.get("/staff/audit", response_class=HTMLResponse)
def audit_page(request: Request, hub: StateDep, who: AdminDep) -> HTMLResponse:
    today = utcnow().date()
    field = read_date(request.query_params, "day", "the day", today)
    day = field.date or today
    return page(request, hub, "staff_audit.html", {
        "user": who.user, "csrf": who.csrf, "day": day, "day_parts": field.parts, "error": field.error,
        "columns": AUDIT_COLUMNS, "entries": audit_rows(hub, day)}, 422 if field.error else 200)


@pages.get("/staff/audit.csv")
def audit_csv(hub: StateDep, who: AdminDep, day: dt.date | None = None) -> Response:
    day = day or utcnow().date()
    return csv_download(AUDIT_COLUMNS, audit_rows(hub, day), f"audit-{day}.csv")
