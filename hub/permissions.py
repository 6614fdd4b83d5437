"""Who may do what, for which site: the one table every staff page checks (docs/hub.md has it
as a table for councils).

A role either may not do a thing at all, may do it for its own site (a member of staff with no
site is council-wide: every site), or may do it for every site. Residents' answers are read only
by officers (and admins): library staff and insight analysts see counts, never answers.
"""

from __future__ import annotations

from typing import Literal

from fastapi import HTTPException

from hub.db import StaffUser

Action = Literal["read_cases", "resend_case", "resend_failed", "help_requests", "library", "insight", "audit",
                 "fleet"]
Reach = Literal["own site", "every site"]

PERMISSIONS: dict[Action, dict[str, Reach]] = {
    # The cases page and a case's answers.
    "read_cases": {"officer": "own site", "admin": "every site"},
    # "Send again" for a case the back office refused.
    "resend_case": {"officer": "own site", "admin": "every site"},
    # Every failed case of a task at once.
    "resend_failed": {"admin": "every site"},
    # Residents asking for help at a kiosk, and taking one (which gives a join code).
    "help_requests": {"officer": "own site", "library": "own site", "admin": "every site"},
    # ICT taster sessions, bookings and terminal codes.
    "library": {"library": "own site", "admin": "every site"},
    # Usage counts (no answers, small counts hidden).
    "insight": {"insight": "every site", "admin": "every site"},
    # Who did what in residents' sessions.
    "audit": {"admin": "every site"},
    # The kiosks: whether they report, their versions and outboxes (the fleet page, /metrics).
    "fleet": {"officer": "own site", "library": "own site", "admin": "every site"},
}

WHY_NOT: dict[Action, str] = {
    "read_cases": "Cases and their answers are for officers and admins",
    "resend_case": "Only an officer of the case's site or an admin can send a case again",
    "resend_failed": "Only an admin can send every failed case again",
    "help_requests": "Help requests are for officers, library staff and admins",
    "library": "The library page is for library staff",
    "insight": "Insight pages are for the admin and insight roles",
    "audit": "The audit log is for admins",
    "fleet": "The fleet page is for officers, library staff and admins",
}


def scope_of(user: StaffUser, action: Action) -> str | None:
    """The one site ``user`` may do ``action`` for, or None for every site. Raises 403 when the
    role may not do it at all."""
    reach = PERMISSIONS[action].get(user.role)
    if reach is None:
        raise HTTPException(403, WHY_NOT[action])
    return user.site if reach == "own site" and user.site else None


def allowed(user: StaffUser, action: Action, site: str) -> bool:
    """May ``user`` do ``action`` for something at ``site``?"""
    reach = PERMISSIONS[action].get(user.role)
    if reach is None:
        return False
    return reach == "every site" or not user.site or user.site == site


def require(user: StaffUser, action: Action, site: str) -> None:
    if not allowed(user, action, site):
        raise HTTPException(403, WHY_NOT[action] if PERMISSIONS[action].get(user.role) is None
                            else "That belongs to another site")


def home_page(user: StaffUser) -> str:
    """Where a member of staff lands after signing in: the page their role is for."""
    return {"officer": "/staff/help", "library": "/staff/library", "insight": "/insight",
            "admin": "/staff/cases"}.get(user.role, "/staff/help")


#: The staff pages, in the order the navigation lists them, with what opening each needs.
STAFF_PAGES: tuple[tuple[str, str, Action], ...] = (
    ("/staff/cases", "Cases", "read_cases"), ("/staff/help", "Help requests", "help_requests"),
    ("/staff/library", "Library", "library"), ("/insight", "Insight", "insight"),
    ("/staff/fleet", "Kiosks", "fleet"), ("/staff/audit", "Audit log", "audit"),
)


def navigation(user: StaffUser, path: str) -> list[dict[str, object]]:
    """The pages ``user`` may open, for the service navigation (GOV.UK Frontend's item shape)."""
    return [{"href": href, "text": text, "current": path == href, "active": path.startswith(href + "/")}
            for href, text, action in STAFF_PAGES if PERMISSIONS[action].get(user.role) is not None]
