"""Library ICT taster sessions at the hub: bookings that open themselves on terminals, what the
terminals report (lesson counts, time left), staff extending or ending sessions, and the
certificate page a learner takes home. Kiosk routes under /api/v1/taster; staff under /staff/library."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Body, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import Field
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from hub.api import DeviceDep, StateDep
from hub.assist import CODE_MINUTES, WhoDep, audit, issue_code, page
from hub.csv_download import csv_download
from hub.db import Device, TasterBooking, TasterCertificate, TasterRun, utcnow
from hub.form_dates import parts_of, read_date, read_time
from hub.handoff import digest
from hub.permissions import scope_of
from hub.staff import SignedIn, check_csrf
from hub.state import HubState
from kiosk.workflows.messages import (
    API_ERRORS,
    Accepted,
    Booking,
    CertificateIn,
    CertificateOut,
    ReportsIn,
    RunCommand,
    TasterState,
)
from kiosk.workflows.taster import (
    MAX_MINUTES,
    MIN_MINUTES,
    TasterFormError,
    TasterPlan,
    check_first_name,
    plan_from_form,
)
from kiosk.workflows.validators import FieldError

api = APIRouter(prefix="/api/v1/taster", responses=API_ERRORS)
pages = APIRouter()
LessonId = Annotated[str, Field(pattern=r"^[a-z0-9-]{1,64}$")]
RunId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
#: A terminal that has not reported for this long is shown as "not reporting".
STALE_SECONDS = 180


def lessons_of(hub: HubState) -> dict[str, str]:
    return {lesson.id: lesson.title for lesson in (hub.lessons or {}).values()}


def check_lessons(hub: HubState, ids: list[str]) -> None:
    unknown = [i for i in ids if i not in (hub.lessons or {})]
    if unknown:
        raise HTTPException(422, f"Unknown lesson: {', '.join(unknown)}")


# ---- kiosk API ---------------------------------------------------------------------------------

@api.get("", response_model=TasterState)
def for_kiosk(hub: StateDep, dev: DeviceDep) -> TasterState:
    """Bookings for this terminal that are due now, and staff requests for its running sessions."""
    now = utcnow()
    with hub.sessions() as session:
        bookings = session.scalars(select(TasterBooking).where(
            TasterBooking.cancelled_at.is_(None), TasterBooking.starts_at <= now + dt.timedelta(minutes=1),
            TasterBooking.starts_at >= now - dt.timedelta(minutes=MAX_MINUTES))).all()
        finished = set(session.scalars(select(TasterRun.booking_id).where(
            TasterRun.kiosk_id == dev.kiosk_id, TasterRun.ended_at.is_not(None),
            TasterRun.booking_id.is_not(None))).all())
        runs = session.scalars(select(TasterRun).where(TasterRun.kiosk_id == dev.kiosk_id,
                                                       TasterRun.ended_at.is_(None))).all()
    due = []
    for b in bookings:
        ends = b.starts_at + dt.timedelta(minutes=b.minutes)
        if dev.kiosk_id in b.kiosks.split() and b.id not in finished and ends > now:
            due.append(Booking(id=b.id, lessons=b.lessons.split(), group=b.group_name,
                                  starts_in_seconds=round((b.starts_at - now).total_seconds()),
                                  ends_in_seconds=round((ends - now).total_seconds())))
    return TasterState(bookings=due, runs=[RunCommand(id=r.id, extra_minutes=r.hub_extra_minutes, end=r.end_requested)
                                         for r in runs])


def _naive(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC).replace(tzinfo=None) if at.tzinfo else at


@api.post("/reports", response_model=Accepted)
def record_reports(hub: StateDep, dev: DeviceDep, body: Annotated[ReportsIn, Body()]) -> Accepted:
    """Idempotent: a report older than the one stored (by seq) changes nothing."""
    for r in body.reports:
        check_lessons(hub, [*r.lessons, *r.started, *r.completed])
    accepted = 0
    with hub.sessions() as session:
        for r in body.reports:
            row = session.get(TasterRun, r.run)
            if row is None:
                row = TasterRun(id=r.run, kiosk_id=dev.kiosk_id, site=dev.site, seq=-1, hub_extra_minutes=0,
                                end_requested=False)
                session.add(row)
            elif row.kiosk_id != dev.kiosk_id:
                raise HTTPException(409, "That session belongs to another terminal")
            if r.seq <= row.seq:
                continue
            row.seq, row.booking_id, row.group_name = r.seq, r.booking_id, " ".join(r.group.split())
            row.lessons, row.started, row.completed = " ".join(r.lessons), " ".join(r.started), " ".join(r.completed)
            row.opened_by, row.started_at, row.ends_at = r.opened_by, _naive(r.started_at), _naive(r.ends_at)
            row.ended_at = utcnow() if r.ended else None
            row.hub_extra_applied = r.hub_extra
            row.reported_at = utcnow()
            accepted += 1
        session.commit()
    return Accepted(accepted=accepted)


@api.post("/certificates", response_model=CertificateOut, status_code=201)
def make_certificate(hub: StateDep, dev: DeviceDep, body: Annotated[CertificateIn, Body()]) -> CertificateOut:
    check_lessons(hub, body.lessons)
    try:
        name = check_first_name(body.first_name)
    except FieldError as err:
        raise HTTPException(422, err.message) from None
    token = secrets.token_urlsafe(24)
    with hub.sessions() as session:
        session.add(TasterCertificate(token_hash=digest(token), site=dev.site, lessons=" ".join(body.lessons),
                                      first_name_sealed=hub.sealer.seal({"name": name}) if name else None,
                                      expires_at=utcnow() + dt.timedelta(days=hub.settings.taster.certificate_days)))
        session.commit()
    return CertificateOut(url=f"{hub.settings.public_url.rstrip('/')}/certificate/{token}")


@pages.get("/certificate/{token}", response_class=HTMLResponse)
def certificate(request: Request, hub: StateDep, token: str) -> HTMLResponse:
    with hub.sessions() as session:
        row = session.scalar(select(TasterCertificate).where(TasterCertificate.token_hash == digest(token[:64])))
    if row is None or row.expires_at <= utcnow():
        return page(request, hub, "certificate.html", {"found": False}, 404)
    titles = lessons_of(hub)
    tries: list[str] = []
    for lesson_id in row.lessons.split():
        lesson = (hub.lessons or {}).get(lesson_id)
        tries.extend(t for t in (lesson.try_next if lesson else []) if t not in tries)
    local = row.created_at.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(hub.settings.timezone))
    return page(request, hub, "certificate.html", {
        "found": True, "name": hub.sealer.open(row.first_name_sealed)["name"] if row.first_name_sealed
        else row.first_name, "site": row.site, "day": f"{local:%-d %B %Y}",
        "lessons": [titles.get(i, i) for i in row.lessons.split()],
        "learned": [line for i in row.lessons.split() for line in ((hub.lessons or {})[i].learned
                                                                   if i in (hub.lessons or {}) else [])],
        "next_steps": [*tries, *hub.settings.taster.next_steps],
    })


def sweep(session: Session, now: dt.datetime | None = None) -> None:
    """Expired certificates go (with the first name, if one was added)."""
    session.execute(delete(TasterCertificate).where(TasterCertificate.expires_at <= (now or utcnow())))
    session.commit()


# ---- staff pages -------------------------------------------------------------------------------

def library_staff(who: WhoDep) -> SignedIn:
    scope_of(who.user, "library")
    return who


LibraryDep = Annotated[SignedIn, Depends(library_staff)]


def _site_filter(who: SignedIn) -> str | None:
    return scope_of(who.user, "library")


def _left(ends_at: dt.datetime, now: dt.datetime) -> str:
    seconds = (ends_at - now).total_seconds()
    if seconds <= 0:
        return "time is up"
    minutes = int((seconds + 59) // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''} left"


def lesson_counts(hub: HubState, site: str | None, since: dt.datetime) -> list[list[str]]:
    """Per site and lesson: sessions that included it, learners who started it, who completed it."""
    with hub.sessions() as session:
        query = select(TasterRun).where(TasterRun.started_at >= since)
        if site:
            query = query.where(TasterRun.site == site)
        runs = session.scalars(query).all()
    titles = lessons_of(hub)
    table: dict[tuple[str, str], list[int]] = {}
    for r in runs:
        for lesson in r.lessons.split():
            counts = table.setdefault((r.site, lesson), [0, 0, 0])
            counts[0] += 1
            counts[1] += lesson in r.started.split()
            counts[2] += lesson in r.completed.split()
    return [[s, titles.get(lesson, lesson), str(a), str(b), str(c)]
            for (s, lesson), (a, b, c) in sorted(table.items(), key=lambda kv: (kv[0][0], titles.get(kv[0][1], "")))]


COUNT_COLUMNS = ["Library", "Lesson", "Sessions offering it", "Started", "Completed"]


@pages.get("/staff/library", response_class=HTMLResponse)
def library_page(request: Request, hub: StateDep, who: LibraryDep, days: int = 30) -> HTMLResponse:
    """Nothing shown comes from the address: a code or an error in the URL would be whatever the
    person who wrote the link chose."""
    return library(request, hub, who, days)


def library(request: Request, hub: HubState, who: SignedIn, days: int = 30, field_errors: dict[str, str] | None = None,
            code: str = "", kiosk: str = "", status: int = 200, form: dict[str, Any] | None = None) -> HTMLResponse:
    """The library page; after a refused booking, ``form`` is what was typed (shown again) and
    ``field_errors`` says what is wrong with which part."""
    site = _site_filter(who)
    now = utcnow()
    zone = ZoneInfo(hub.settings.timezone)
    with hub.sessions() as session:
        query = select(Device).where(Device.revoked_at.is_(None)).order_by(Device.kiosk_id)
        if site:
            query = query.where(Device.site == site)
        devices = session.scalars(query).all()
        runs = {r.kiosk_id: r for r in session.scalars(select(TasterRun).where(
            TasterRun.ended_at.is_(None), TasterRun.ends_at > now - dt.timedelta(minutes=5))
            .order_by(TasterRun.started_at)).all()}
        bq = select(TasterBooking).where(TasterBooking.cancelled_at.is_(None), TasterBooking.starts_at
                                         > now - dt.timedelta(minutes=MAX_MINUTES)).order_by(TasterBooking.starts_at)
        if site:
            bq = bq.where(TasterBooking.site == site)
        bookings = session.scalars(bq).all()
    titles = lessons_of(hub)
    terminals = []
    for d in devices:
        run = runs.get(d.kiosk_id)
        seen = d.last_seen_at
        terminals.append({
            "kiosk": d.kiosk_id, "site": d.site,
            "seen": "never" if seen is None else f"{seen.replace(tzinfo=dt.UTC).astimezone(zone):%H:%M}",
            "run": None if run is None else {
                "id": run.id, "group": run.group_name or "No group name",
                # What the terminal reported, plus minutes added here that it has not applied yet.
                "left": _left(run.ends_at + dt.timedelta(minutes=max(0, run.hub_extra_minutes
                                                                      - run.hub_extra_applied)), now)
                if not run.end_requested else "ending",
                "done": f"{len(run.completed.split())} of {len(run.lessons.split())} lessons completed",
                "stale": (now - run.reported_at).total_seconds() > STALE_SECONDS,
            }})
    booking_rows = [{"id": b.id, "when": f"{b.starts_at.replace(tzinfo=dt.UTC).astimezone(zone):%a %-d %b, %H:%M}",
                     "minutes": b.minutes, "kiosks": ", ".join(b.kiosks.split()), "group": b.group_name,
                     "lessons": ", ".join(titles.get(i, i) for i in b.lessons.split())} for b in bookings]
    today = dt.datetime.now(zone)
    field_errors = field_errors or {}
    first_box = {"kiosks": "kiosks", "day": "day-day", "time": "time", "minutes": "minutes", "lessons": "lessons",
                 "group": "group"}
    return page(request, hub, "staff_library.html", {
        "user": who.user, "csrf": who.csrf, "terminals": terminals, "bookings": booking_rows,
        "field_errors": field_errors,
        "errors": [{"text": text, "href": f"#{first_box.get(part, part)}"} for part, text in field_errors.items()],
        "form": form or {"kiosks": [], **{f"day_{k}": v for k, v in parts_of(today.date()).items()}, "time": "10:00",
                         "minutes": "60", "lessons": list(titles), "group": ""},
        "lessons": titles, "days": days, "columns": COUNT_COLUMNS,
        "counts": lesson_counts(hub, site, now - dt.timedelta(days=max(1, min(days, 3650)))),
        "example_day": f"{today:%-d %-m %Y}", "min_minutes": MIN_MINUTES, "max_minutes": MAX_MINUTES,
        "code": code, "code_kiosk": kiosk, "code_minutes": CODE_MINUTES,
    }, status)


@pages.get("/staff/library/counts.csv")
def counts_csv(hub: StateDep, who: LibraryDep, days: int = 30) -> Response:
    since = utcnow() - dt.timedelta(days=max(1, min(days, 3650)))
    return csv_download(COUNT_COLUMNS, lesson_counts(hub, _site_filter(who), since), "taster-lessons.csv")


def _run_for(session: Session, who: SignedIn, run_id: str) -> TasterRun:
    row = session.get(TasterRun, run_id)
    site = _site_filter(who)
    if row is None or row.ended_at is not None or (site and row.site != site):
        raise HTTPException(404, "That session has ended")
    return row


def _back() -> RedirectResponse:
    return RedirectResponse("/staff/library", status_code=303)


@pages.post("/staff/library/runs/{run_id}/extend")
def extend_run(hub: StateDep, who: LibraryDep, run_id: str, csrf: Annotated[str, Form()] = "",
               minutes: Annotated[int, Form(ge=5, le=60)] = 15) -> Response:
    check_csrf(who, csrf)
    with hub.sessions() as session:
        row = _run_for(session, who, run_id)
        session.execute(update(TasterRun).where(TasterRun.id == row.id)
                        .values(hub_extra_minutes=TasterRun.hub_extra_minutes + minutes))
        audit(session, who.user.id, who.user.display_name, row.kiosk_id, row.site, "extended_taster",
              f"{minutes} minutes, from the hub")
        session.commit()
    return _back()


@pages.post("/staff/library/runs/{run_id}/end")
def end_run(hub: StateDep, who: LibraryDep, run_id: str, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(who, csrf)
    with hub.sessions() as session:
        row = _run_for(session, who, run_id)
        row.end_requested = True
        audit(session, who.user.id, who.user.display_name, row.kiosk_id, row.site, "ended_taster", "from the hub")
        session.commit()
    return _back()


@pages.post("/staff/library/kiosks/{kiosk_id}/code", response_class=HTMLResponse)
def terminal_code(request: Request, hub: StateDep, who: LibraryDep, kiosk_id: str,
                  csrf: Annotated[str, Form()] = "") -> Response:
    """A one-time code to type on the terminal's Staff pad, to open or manage a session there."""
    check_csrf(who, csrf)
    with hub.sessions() as session:
        device = session.scalar(select(Device).where(Device.kiosk_id == kiosk_id, Device.revoked_at.is_(None)))
        site = _site_filter(who)
        if device is None or (site and device.site != site):
            raise HTTPException(404, "No such terminal at your library")
        code = issue_code(session, kiosk_id, who.user.id)
        audit(session, who.user.id, who.user.display_name, kiosk_id, device.site, "terminal_code", "library page")
        session.commit()
    return library(request, hub, who, code=f"{code[:3]} {code[3:]}", kiosk=kiosk_id)


@pages.post("/staff/library/bookings")
def book(request: Request, hub: StateDep, who: LibraryDep, csrf: Annotated[str, Form()] = "",
         kiosks: Annotated[list[str] | None, Form()] = None,
         day_day: Annotated[str, Form(alias="day-day", max_length=10)] = "",
         day_month: Annotated[str, Form(alias="day-month", max_length=10)] = "",
         day_year: Annotated[str, Form(alias="day-year", max_length=10)] = "",
         time: Annotated[str, Form(max_length=20)] = "", minutes: Annotated[str, Form(max_length=20)] = "",
         lessons: Annotated[list[str] | None, Form()] = None,
         group: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(who, csrf)
    site = _site_filter(who)
    with hub.sessions() as session:
        query = select(Device).where(Device.revoked_at.is_(None))
        if site:
            query = query.where(Device.site == site)
        known = {d.kiosk_id: d.site for d in session.scalars(query).all()}
    chosen = [k for k in (kiosks or []) if k in known]
    typed = {"kiosks": chosen, "day_day": day_day, "day_month": day_month, "day_year": day_year, "time": time,
             "minutes": minutes, "lessons": lessons or [], "group": group}
    errors: dict[str, str] = {}
    if not chosen:
        errors["kiosks"] = "Choose at least one terminal"
    day = read_date({"day-day": day_day, "day-month": day_month, "day-year": day_year}, "day", "the date",
                    dt.date.today())
    if day.error:
        errors["day"] = day.error
    start = read_time(time)
    if start is None:
        errors["time"] = "Enter the start time on the 24-hour clock, like 14:30"
    plan: TasterPlan | None = None
    try:  # the same rules as the set-up form on a terminal
        plan = plan_from_form(lessons or [], minutes, group, list(lessons_of(hub)))
    except TasterFormError as exc:
        for e in exc.errors:
            errors.setdefault(e.part, e.message)
    if errors or day.date is None or start is None or plan is None:
        return library(request, hub, who, field_errors=errors, status=422, form=typed)
    local = dt.datetime.combine(day.date, start)
    starts = local.replace(tzinfo=ZoneInfo(hub.settings.timezone)).astimezone(dt.UTC).replace(tzinfo=None)
    if starts + dt.timedelta(minutes=plan.minutes) <= utcnow():
        return library(request, hub, who, field_errors={"day": "That time has already passed"}, status=422,
                       form=typed)
    with hub.sessions() as session:
        session.add(TasterBooking(site=known[chosen[0]], kiosks=" ".join(chosen), starts_at=starts,
                                  minutes=plan.minutes, lessons=" ".join(plan.lessons),
                                  group_name=plan.group, created_by=who.user.id))
        session.commit()
    return _back()


@pages.post("/staff/library/bookings/{booking_id}/cancel")
def cancel_booking(hub: StateDep, who: LibraryDep, booking_id: int, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(who, csrf)
    with hub.sessions() as session:
        row = session.get(TasterBooking, booking_id)
        site = _site_filter(who)
        if row is None or (site and row.site != site):
            raise HTTPException(404, "No such booking")
        row.cancelled_at = utcnow()
        session.commit()
    return _back()
