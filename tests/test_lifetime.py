"""Timers, tasks and watchers end with the kiosk's window: nothing fires on a deleted page."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from kiosk.app import build_kiosk, build_services
from tests.hubserver import HubServer
from tests.resident import Kiosk, kiosk_settings


def test_deleting_the_window_stops_every_timer_and_task(qtbot, qasync_loop, hub: HubServer,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    services = build_services(kiosk_settings(tmp_path, hub.url, hub.token))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window, controller = build_kiosk(app, services)  # not given to qtbot: this test deletes it
    window.resize(1920, 1080)
    window.show()
    controller.end_session("startup")
    k = Kiosk(qtbot, window, controller, services, hub, asyncio.ensure_future(services.worker.run()))
    controller.shell.question_ms = 200
    k.start("missed-bin")
    k.wait_heading("What is the address of the missed bin?")
    k.type("input_address_postcode", "TS18 1AU")
    k.tap("find_address")  # a hub call in flight
    assert controller.idle.active and controller.tasks.busy
    window.allow_close = True
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not controller.idle.active
    assert not controller.tasks.busy
    # Well past the old idle limit (200 ms): nothing wakes up to draw on the deleted window.
    with qtbot.waitSignal(controller.idle.warn, timeout=800, raising=False) as blocker:
        pass
    assert not blocker.signal_triggered
    k.worker_task.cancel()
    qtbot.waitUntil(k.worker_task.done, timeout=5000)
    closing = asyncio.ensure_future(services.client.aclose())
    qtbot.waitUntil(closing.done, timeout=5000)
    services.outbox.close()
