"""The hub's texts a resident reads in their language: the phone pages that carry on a journey,
the tracking page, and the statuses and errors the kiosk shows. Their translations live in the
same catalogs as the kiosk's (config/i18n); the translation check reads this list."""

from __future__ import annotations

from pathlib import Path

from kiosk.workflows.i18n import template_sources, ui_sources

HERE = Path(__file__).resolve().parent
#: Modules whose marked texts reach a resident.
SOURCES = ("phone.py", "api.py")
#: The pages a resident sees on a phone, in the kiosk's language.
TEMPLATES = ("phone_layout.html", "phone_open.html", "phone_step.html", "phone_check.html", "phone_done.html",
             "track.html")


def hub_ui_texts() -> dict[str, str]:
    found = ui_sources(HERE / name for name in SOURCES)
    for text, where in template_sources(HERE / "templates" / name for name in TEMPLATES).items():
        found.setdefault(text, where)
    return found
