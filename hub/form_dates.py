"""Dates and times typed into staff pages the GOV.UK way: a date as day, month and year boxes
(``<prefix>-day``, ``<prefix>-month``, ``<prefix>-year``), a time as 24-hour "14:30". Pages'
own links and CSV addresses may still say ``<prefix>=2026-12-01``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.workflows.validators import FieldError, validate_date


@dataclass
class DateField:
    """A date as read from a form: the date (None when it is wrong), what to show in the boxes,
    and the error message ("" when it is right)."""

    date: dt.date | None
    parts: dict[str, str]
    error: str = ""


def parts_of(day: dt.date) -> dict[str, str]:
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def read_date(params: Mapping[str, str], prefix: str, name: str, default: dt.date) -> DateField:
    """The date in ``params`` under ``prefix``; ``default`` when nothing was given."""
    typed = {part: str(params.get(f"{prefix}-{part}", ""))[:10] for part in ("day", "month", "year")}
    if not any(v.strip() for v in typed.values()):
        iso = str(params.get(prefix, ""))
        try:
            day = dt.date.fromisoformat(iso) if iso else default
        except ValueError:
            return DateField(None, {"day": "", "month": "", "year": ""}, f"Enter {name} as a real date")
        return DateField(day, parts_of(day))
    try:
        day = validate_date(typed["day"], typed["month"], typed["year"], name, None, dt.date.today())
    except FieldError as err:
        return DateField(None, typed, err.message)
    return DateField(day, typed)


_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


def read_time(text: str) -> dt.time | None:
    """A 24-hour time ("14:30", "9:05", "14.30"); None when it is not one."""
    found = _TIME.match(text[:20])
    return dt.time(int(found.group(1)), int(found.group(2))) if found else None
