"""Nothing stays behind from one resident session to the next: no widgets, no Python objects.

A leak of a few objects per session becomes tens of megabytes over a kiosk's month of use (seen:
a weak reference per signal connection from each page to a flow, and a gesture recogniser per
scrolling page). The figures over 1,000 sessions are in docs/benchmarks.md (bench/soak.py)."""

from __future__ import annotations

import gc

from PySide6.QtWidgets import QApplication

from bench.journeys import Driver
from bench.soak import SESSIONS, sample
from kiosk.app import set_aside_what_lasts
from kiosk.flows.ahead import AFTER_MS
from tests.resident import Kiosk


def run_sessions(d: Driver, count: int) -> None:
    for i in range(count):
        SESSIONS[i % len(SESSIONS)](d)


def test_resident_sessions_leave_no_widgets_or_objects_behind(kiosk: Kiosk) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    d = Driver(app, kiosk.window, kiosk.controller)  # it installs nothing on the application
    # A short pause before each tap, long enough for the next page to be built ahead of time
    # (kiosk/flows/ahead.py), so that those pages are counted too.
    d.reading_ms = AFTER_MS + 60
    # As the kiosk runs (kiosk.app.run): what was loaded is set aside from the collector, which
    # then sees only what sessions make. Every session's objects must still go.
    set_aside_what_lasts()
    try:
        run_sessions(d, 45)  # caches, catalogs and pools fill up first
        before = sample(d, 45)
        run_sessions(d, 45)
        after = sample(d, 90)
    finally:
        gc.unfreeze()  # the rest of the run's tests, as they were
    assert kiosk.page_name() == "attract_page"
    assert after.widgets <= before.widgets, "widgets from earlier sessions are still alive"
    grown = after.ours - before.ours
    assert grown <= 10, f"{grown} more objects of the kiosk or Qt after 45 sessions"
