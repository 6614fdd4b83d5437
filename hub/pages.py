"""HTML pages: public request tracking (no personal data) and the staff case inbox."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from hub.api import StateDep, refresh_from_back_office, request_status
from hub.csv_download import csv_download
from hub.db import Case, StaffUser, audit
from hub.form_dates import read_date
from hub.insight import counts_by_site, sites
from hub.insight_report import Report, bar_chart
from hub.permissions import allowed, require, scope_of
from hub.ratelimit import limits_of
from hub.relay_staff import alerts_for, failed_by_journey, relay_history
from hub.staff import SignedIn, signed_in, staff_user
from hub.state import HubState
from hub.templating import make_templates
from kiosk.workflows.i18n import english
from kiosk.workflows.messages import RequestStatus
from kiosk.workflows.validators import normalise_reference

router = APIRouter()
templates = make_templates()
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
#: Public tracking page views per client per 10 minutes (a resident checks a few times; a
#: script walking references is stopped).
TRACK_TRIES = 30

StaffDep = Annotated[StaffUser, Depends(staff_user)]
WhoDep = Annotated[SignedIn, Depends(signed_in)]


@router.get("/track/{reference}", response_class=HTMLResponse)
async def track_page(request: Request, hub: StateDep, reference: str, lang: str = "en") -> HTMLResponse:
    """Public: a request's status, without personal data. ``?lang=`` is the kiosk's language
    (the confirmation's QR code carries it); the back office's own updates stay as written."""
    c = hub.catalogs.get(lang[:3]) or english()
    client = request.client.host if request.client else "unknown"
    if not await run_in_threadpool(limits_of(request.app.state).get("track", TRACK_TRIES).allow, client):
        # Per client only: one busy client never stops the rest from tracking their requests.
        return templates.TemplateResponse(
            request, "track.html", {"council": hub.settings.council_name, "status": None, "too_many": True,
                                    "reference": "", "title": "", "t": c.text, "lang": c.code,
                                    "dir": "rtl" if c.rtl else "ltr"},
            status_code=429, headers={**NO_STORE, "Retry-After": "600"})
    await refresh_from_back_office(hub, normalise_reference(reference[:20]))
    found, journey_id = await run_in_threadpool(status_and_journey, hub, normalise_reference(reference[:20]))
    title = ""
    if found is not None:
        title = c.journey(hub.journeys[journey_id]).title if journey_id in hub.journeys else found.title
    return templates.TemplateResponse(
        request, "track.html", {"council": hub.settings.council_name, "status": found, "reference": reference[:20],
                                "title": title, "t": c.text, "lang": c.code, "dir": "rtl" if c.rtl else "ltr"},
        status_code=200 if found else 404, headers=NO_STORE,
    )


def status_and_journey(hub: HubState, reference: str) -> tuple[RequestStatus | None, str]:
    """A request's status and its journey's id (for the title in the page's language), in one
    trip to a worker thread."""
    found = request_status(hub, reference)
    if found is None:
        return None, ""
    with hub.sessions() as session:
        return found, session.scalar(select(Case.journey_id).where(Case.reference == reference)) or ""


#: Cases to a page on the staff cases list.
CASES_PER_PAGE = 50


@router.get("/staff/cases", response_class=HTMLResponse)
def inbox(request: Request, hub: StateDep, who: WhoDep, page: Annotated[int, Query(ge=1, le=100_000)] = 1
          ) -> HTMLResponse:
    user = who.user
    site = scope_of(user, "read_cases")
    with hub.sessions() as session:
        query = select(Case).order_by(Case.received_at.desc(), Case.id.desc())
        counted = select(func.count()).select_from(Case)
        if site is not None:
            query, counted = query.where(Case.site == site), counted.where(Case.site == site)
        total = session.scalar(counted) or 0
        pages = max(1, -(-total // CASES_PER_PAGE))
        page = min(page, pages)
        cases = session.scalars(query.offset((page - 1) * CASES_PER_PAGE).limit(CASES_PER_PAGE)).all()
    return templates.TemplateResponse(
        request, "inbox.html", {"council": hub.settings.council_name, "cases": cases, "user": user,
                                "alerts": alerts_for(hub).lines(), "failed": failed_by_journey(hub),
                                "csrf": who.csrf, "page": page, "pages": pages, "total": total,
                                "first": (page - 1) * CASES_PER_PAGE + 1 if total else 0,
                                "last": (page - 1) * CASES_PER_PAGE + len(cases)}, headers=NO_STORE
    )


@router.get("/staff/cases/{reference}", response_class=HTMLResponse)
def case_page(request: Request, hub: StateDep, who: WhoDep, reference: str) -> HTMLResponse:
    with hub.sessions() as session:
        case = session.scalar(select(Case).where(Case.reference == reference))
        if case is None:
            raise HTTPException(404, "No case with that reference")
        require(who.user, "read_cases", case.site)
        history = relay_history(session, case)
        # Who read a resident's answers, and when.
        audit(session, who.user.id, who.user.display_name, case.kiosk_id, case.site, "viewed_case", case.reference)
        session.commit()
    payload = hub.sealer.open(case.sealed)
    return templates.TemplateResponse(
        request, "case.html",
        {"council": hub.settings.council_name, "case": case, "summary": payload["summary"], "user": who.user,
         "history": history, "csrf": who.csrf,
         "may_resend": case.relay_state == "failed" and allowed(who.user, "resend_case", case.site)},
        headers=NO_STORE,
    )


def insight_user(user: StaffDep) -> StaffUser:
    scope_of(user, "insight")
    return user


InsightDep = Annotated[StaffUser, Depends(insight_user)]


def _report(hub: HubState, site: str, start: dt.date | None, end: dt.date | None
            ) -> tuple[Report, dt.date, dt.date, list[str]]:
    end = end or dt.date.today()
    start = start or end - dt.timedelta(days=29)
    if start > end:
        raise HTTPException(422, "The start date must be on or before the end date")
    with hub.sessions() as session:
        found = counts_by_site(session, start, end)
        all_sites = sites(session)
    return Report(found, site or None, hub.journeys, hub.settings.insight), start, end, all_sites


@router.get("/insight", response_class=HTMLResponse)
def insight_page(request: Request, hub: StateDep, user: InsightDep, site: str = "") -> HTMLResponse:
    today = dt.date.today()
    end = read_date(request.query_params, "end", "the end date", today)
    start = read_date(request.query_params, "start", "the start date",
                      (end.date or today) - dt.timedelta(days=29))
    field_errors = {name: f.error for name, f in (("start", start), ("end", end)) if f.error}
    if start.date and end.date and start.date > end.date:
        field_errors["start"] = "The start date must be on or before the end date"
    first, last = (start.date or today - dt.timedelta(days=29)), (end.date or today)
    if field_errors:
        first, last = today - dt.timedelta(days=29), today  # the last 30 days while the dates are put right
    report, first, last, all_sites = _report(hub, site, first, last)
    tables = report.tables()
    query = urlencode({"site": site, "start": first.isoformat(), "end": last.isoformat()})
    return templates.TemplateResponse(request, "insight.html", {
        "council": hub.settings.council_name, "user": user, "tables": tables, "site": site, "sites": all_sites,
        "start_parts": start.parts, "end_parts": end.parts, "field_errors": field_errors,
        "errors": [{"text": text, "href": f"#{name}-day"} for name, text in field_errors.items()],
        "query": query, "charts": {t.name: Markup(bar_chart(t)) for t in tables},
        "cost_note": report.cost_assumptions(), "min_count": hub.settings.insight.min_count,
    }, status_code=422 if field_errors else 200, headers=NO_STORE)


@router.get("/insight/{name}.csv")
def insight_csv(hub: StateDep, user: InsightDep, name: str, site: str = "", start: dt.date | None = None,
                end: dt.date | None = None) -> Response:
    report, start, end, _ = _report(hub, site, start, end)
    table = next((t for t in report.tables() if t.name == name), None)
    if table is None:
        raise HTTPException(404, f"No table called {name!r}")
    return csv_download(table.columns, table.rows, f"{name}-{site or 'all-sites'}-{start}-{end}.csv")
