"""The kiosk's texts a resident sees or hears, for the translation check. Staff screens, the
maintenance page and the ICT taster lessons stay in English (docs/languages.md)."""

from __future__ import annotations

from pathlib import Path

from kiosk.workflows.i18n import ui_sources

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (
    "kiosk/flows/session.py", "kiosk/flows/journey.py", "kiosk/flows/lookups.py", "kiosk/flows/handoff.py",
    "kiosk/flows/assist.py", "kiosk/flows/menus.py",
    "accessibility/speech.py", "accessibility/keypad.py", "accessibility/explore.py",
    "kiosk/views/pages.py", "kiosk/views/send_pages.py", "kiosk/views/fields.py", "kiosk/views/widgets.py",
    "kiosk/views/window.py",
    "kiosk/views/keyboard.py", "kiosk/views/attract.py", "kiosk/workflows/opening_hours.py",
    "kiosk/workflows/validators.py", "kiosk/workflows/engine.py", "kiosk/workflows/describe.py",
    "kiosk/workflows/why.py", "kiosk/workflows/words.py",
)


def kiosk_ui_texts() -> dict[str, str]:
    return ui_sources(ROOT / name for name in SOURCES)


def resident_ui_texts() -> dict[str, str]:
    """Every text the catalogs translate: the kiosk's, and the hub's phone and tracking pages
    (one set of catalogs serves both). The hub's list is its own; this tool only reads it."""
    from hub.ui_texts import hub_ui_texts

    found = kiosk_ui_texts()
    for text, where in hub_ui_texts().items():
        found.setdefault(text, where)
    return found
