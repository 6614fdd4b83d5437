"""Screens a fleet needs: rotating attract messages, opening hours, and no hub for a while."""

from __future__ import annotations

import asyncio
import datetime as dt

from argon2 import PasswordHasher
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractButton

from kiosk.config import Attract, OpeningHours
from kiosk.hub_client import HubClient
from kiosk.hub_status import HubStatus
from kiosk.pin_lock import PinLock
from kiosk.workflows.structs import replace
from tests.hubserver import HubServer
from tests.resident import Kiosk


def test_attract_messages_take_turns(kiosk: Kiosk) -> None:
    messages = ["Open Monday to Friday, 8:30am to 5pm.", "You can also do this online at any time."]
    kiosk.services.settings = replace(kiosk.settings, attract=Attract(messages=messages, rotate_seconds=2))
    kiosk.controller.end_session("test")
    assert kiosk.label_text("attract_message") == messages[0]
    kiosk.qtbot.waitUntil(lambda: kiosk.label_text("attract_message") == messages[1], timeout=4000)
    kiosk.qtbot.waitUntil(lambda: kiosk.label_text("attract_message") == messages[0], timeout=4000)


def test_closed_outside_opening_hours_and_staff_can_open_it(kiosk: Kiosk) -> None:
    hours = OpeningHours(monday="09:00-17:00", saturday="closed", sunday="closed")
    kiosk.services.settings = replace(kiosk.settings, opening_hours=hours)
    now = [dt.datetime(2026, 11, 29, 11, 0)]  # a Sunday
    kiosk.controller.session_flow.clock = lambda: now[0]
    kiosk.controller.end_session("test")
    kiosk.wait_page("closed_page")
    assert "This kiosk is closed" in kiosk.texts()
    assert "Monday: 09:00 to 17:00" in kiosk.texts() and "Sunday: closed" in kiosk.texts()
    kiosk.tap("attract_start")  # a resident's tap does nothing
    assert kiosk.page_name() == "closed_page"
    # Staff: hold the corner, PIN, "Open the kiosk now".
    kiosk.controller.maintenance.pin_lock = PinLock(PasswordHasher().hash("2468"), kiosk.settings.state_dir / "m.json", 5, 300)
    kiosk.controller.maintenance.corner.hold_ms = 100
    kiosk.press(kiosk.window, QPoint(10, 10))
    kiosk.qtbot.waitUntil(lambda: kiosk.window.overlay is not None, timeout=3000)
    kiosk.release(kiosk.window, QPoint(10, 10))
    for key in "2468":
        kiosk.tap(f"pin_{key}")
    kiosk.tap("pin_enter")
    kiosk.wait_heading("Maintenance")
    kiosk.tap("action_open_now")
    kiosk.wait_page("attract_page")
    # The override lasts for that day only: Monday evening is closed again.
    now[0] = dt.datetime(2026, 11, 30, 18, 0)
    kiosk.controller.session_flow.on_clock()
    kiosk.wait_page("closed_page")
    now[0] = dt.datetime(2026, 11, 30, 9, 0)
    kiosk.controller.session_flow.on_clock()
    kiosk.wait_page("attract_page")


def test_home_says_what_works_while_the_hub_is_down(kiosk: Kiosk) -> None:
    t = [0.0]
    status = HubStatus(clock=lambda: t[0])
    kiosk.services.worker.status = status
    status.failed()
    kiosk.tap("attract_start")
    kiosk.wait_page("home_page")
    assert "The connection to the council's systems is down" not in kiosk.texts()  # a blip is not news
    t[0] = 121.0
    kiosk.controller.end_session("test")
    kiosk.tap("attract_start")
    kiosk.wait_page("home_page")
    assert "The connection to the council's systems is down" in kiosk.texts()
    assert not kiosk.widget(QAbstractButton, "tile_bin-days").isEnabled()
    assert not kiosk.widget(QAbstractButton, "tile_track-request").isEnabled()
    assert kiosk.widget(QAbstractButton, "tile_missed-bin").isEnabled()  # queued and sent later
    assert kiosk.widget(QAbstractButton, "tile_free-wifi").isEnabled()  # from the site's own data
    # A site whose tasks all need the hub is out of service instead.
    kiosk.services.journeys = [j for j in kiosk.services.journeys if j.needs_hub]
    kiosk.controller.end_session("test")
    kiosk.tap("attract_start")
    kiosk.wait_heading("Sorry, this kiosk cannot help right now")
    status.ok()
    kiosk.controller.end_session("test")
    kiosk.tap("attract_start")
    kiosk.wait_page("home_page")


def test_health_checks_notice_the_hub_coming_and_going(qtbot, qasync_loop, hub: HubServer) -> None:  # type: ignore[no-untyped-def]
    status = HubStatus()
    client = HubClient(hub.url, hub.token, connect_timeout=1, read_timeout=2)
    task = asyncio.ensure_future(status.watch(client, 0.1))
    qtbot.waitUntil(lambda: status.reachable is True, timeout=5000)
    task.cancel()
    dead = HubClient("http://127.0.0.1:9", "kt_x", connect_timeout=1, read_timeout=1)
    task = asyncio.ensure_future(status.watch(dead, 0.1))
    qtbot.waitUntil(lambda: status.reachable is False, timeout=5000)
    assert status.down_since is not None
    task.cancel()
    qtbot.waitUntil(task.done, timeout=2000)
    for c in (client, dead):
        closing = asyncio.ensure_future(c.aclose())
        qtbot.waitUntil(closing.done, timeout=2000)


