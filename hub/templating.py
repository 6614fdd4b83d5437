"""The hub's HTML: its own templates, GOV.UK Frontend's components as Jinja macros (the
govuk-frontend-jinja package, matched to the govuk-frontend shipped in hub/static/govuk), and
what every staff page's header needs (who is signed in, the pages they may open, Sign out)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from hub.permissions import navigation
from hub.staff import SignedIn

HERE = Path(__file__).resolve().parent


def staff_header(request: Request) -> dict[str, Any]:
    """For staff pages: the member of staff signed in with a cookie session (as the page's own
    sign-in check found them, hub/staff.py) and the pages they may open."""
    who: SignedIn | None = getattr(request.state, "staff", None)
    return {"staff": who, "nav": navigation(who.user, request.url.path) if who is not None else []}


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"), context_processors=[staff_header])
    templates.env.loader = ChoiceLoader([
        FileSystemLoader(str(HERE / "templates")),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    templates.env.add_extension("jinja2.ext.do")
    return templates
