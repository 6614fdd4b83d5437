"""What staff see and do about relaying: alerts when cases fail or wait too long, and another
try for one failed case or every failed case of a task once the settings are fixed (audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.api import StateDep
from hub.db import Case, RelayAttempt, audit, utcnow
from hub.permissions import require, scope_of
from hub.relay import RelayAlerts, relay_alerts
from hub.staff import SignedIn, check_csrf, signed_in
from hub.state import HubState

router = APIRouter()
WhoDep = Annotated[SignedIn, Depends(signed_in)]


def _resend(session: Session, who: SignedIn, case: Case) -> None:
    case.relay_state, case.next_relay_at = "pending", utcnow()
    session.add(RelayAttempt(case_id=case.id, outcome="resend",
                             reason=f"another try asked for by {who.user.display_name}"))
    audit(session, who.user.id, who.user.display_name, case.kiosk_id, case.site, "resent_case", case.reference)


@router.post("/staff/cases/{reference}/resend")
def resend_case(hub: StateDep, who: WhoDep, reference: str, csrf: Annotated[str, Form()] = "") -> RedirectResponse:
    check_csrf(who, csrf)
    with hub.sessions() as session:
        case = session.scalar(select(Case).where(Case.reference == reference))
        if case is None:
            raise HTTPException(404, "No case with that reference")
        require(who.user, "resend_case", case.site)
        if case.relay_state != "failed":
            raise HTTPException(409, f"This case is {case.relay_state}, not failed: there is nothing to send again")
        _resend(session, who, case)
        session.commit()
    hub.relay.wake()
    return RedirectResponse(f"/staff/cases/{reference}", status_code=303)


@router.post("/staff/relay/resend-failed")
def resend_failed(hub: StateDep, who: WhoDep, journey_id: Annotated[str, Form(max_length=64)] = "",
                  csrf: Annotated[str, Form()] = "") -> RedirectResponse:
    """Every failed case of one task, after fixing what made them fail (a key, a service code)."""
    check_csrf(who, csrf)
    scope_of(who.user, "resend_failed")
    if journey_id not in hub.journeys:
        raise HTTPException(422, "Choose a task")
    with hub.sessions() as session:
        for case in session.scalars(select(Case).where(Case.relay_state == "failed", Case.journey_id == journey_id)):
            _resend(session, who, case)
        session.commit()
    hub.relay.wake()
    return RedirectResponse("/staff/cases", status_code=303)


def alerts_for(hub: HubState) -> RelayAlerts:
    return relay_alerts(hub.sessions, hub.settings.relay.alert_after_minutes)


def relay_history(session: Session, case: Case) -> list[RelayAttempt]:
    return list(session.scalars(select(RelayAttempt).where(RelayAttempt.case_id == case.id)
                                .order_by(RelayAttempt.at, RelayAttempt.id)))


def failed_by_journey(hub: HubState) -> list[tuple[str, str, int]]:
    """(journey id, title, how many failed) for the tasks that have failed cases."""
    with hub.sessions() as session:
        rows = session.execute(select(Case.journey_id, func.count()).where(Case.relay_state == "failed")
                               .group_by(Case.journey_id)).all()
    return [(jid, hub.journeys[jid].title if jid in hub.journeys else jid, n) for jid, n in rows]
