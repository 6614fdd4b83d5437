"""HTML pages: public request tracking (no personal data) and the staff case inbox."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from hub.api import StateDep, request_status
from hub.db import Case, StaffUser
from hub.staff import staff_user
from kiosk.workflows.validators import normalise_reference

router = APIRouter()
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

StaffDep = Annotated[StaffUser, Depends(staff_user)]


@router.get("/track/{reference}", response_class=HTMLResponse)
def track_page(request: Request, hub: StateDep, reference: str) -> HTMLResponse:
    found = request_status(hub, normalise_reference(reference[:20]))
    return templates.TemplateResponse(
        request, "track.html", {"council": hub.settings.council_name, "status": found, "reference": reference[:20]},
        status_code=200 if found else 404, headers=NO_STORE,
    )


@router.get("/staff/cases", response_class=HTMLResponse)
def inbox(request: Request, hub: StateDep, user: StaffDep) -> HTMLResponse:
    with hub.sessions() as session:
        cases = session.scalars(select(Case).order_by(Case.received_at.desc()).limit(200)).all()
    return templates.TemplateResponse(
        request, "inbox.html", {"council": hub.settings.council_name, "cases": cases, "user": user}, headers=NO_STORE
    )


@router.get("/staff/cases/{reference}", response_class=HTMLResponse)
def case_page(request: Request, hub: StateDep, user: StaffDep, reference: str) -> HTMLResponse:
    with hub.sessions() as session:
        case = session.scalar(select(Case).where(Case.reference == reference))
    if case is None:
        raise HTTPException(404, "No case with that reference")
    payload = hub.sealer.open(case.sealed)
    return templates.TemplateResponse(
        request, "case.html",
        {"council": hub.settings.council_name, "case": case, "summary": payload["summary"], "user": user},
        headers=NO_STORE,
    )
