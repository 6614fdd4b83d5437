"""Opening hours: "09:00-17:00" or "closed" for each weekday. Read by the session (attract or
closed screen) and by the first screen painted at start-up, so kept free of msgspec and Qt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from kiosk.workflows.words import WEEKDAY_NAMES

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ALWAYS = "00:00-23:59"


def open_at(hours: str, now: dt.datetime) -> bool:
    """Whether a day's hours ("09:00-17:00", "closed") include this moment."""
    if hours == "closed":
        return False
    start, end = (dt.time.fromisoformat(t) for t in hours.split("-"))
    return start <= now.time() <= end


def hours_lines(week: Sequence[str], tr: Callable[..., str]) -> list[str]:
    """The week's hours as the closed screen shows them, Monday first, in the screen's language."""
    return [tr("{day}: closed", day=tr(WEEKDAY_NAMES[i])) if h == "closed" else
            tr("{day}: {opens} to {closes}", day=tr(WEEKDAY_NAMES[i]), opens=h[:5], closes=h[6:])
            for i, h in enumerate(week)]
