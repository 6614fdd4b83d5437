"""Start the kiosk: settings, services, the window, and the qasync event loop."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from accessibility.display import DisplaySettings, prepare_app
from accessibility.headings import install_heading_role
from kiosk import systemd
from kiosk.config import KioskSettings, read_token
from kiosk.controller import KioskController, Services
from kiosk.hub_client import HubClient
from kiosk.outbox import Outbox
from kiosk.outbox_worker import OutboxWorker
from kiosk.places import load_places
from kiosk.views.window import KioskWindow
from kiosk.vitals import Vitals, settings_digest
from kiosk.workflows.i18n import load_catalogs
from kiosk.workflows.lessons import load_lessons
from kiosk.workflows.loader import load_journeys

log = logging.getLogger("kiosk")


def build_services(settings: KioskSettings) -> Services:
    token = read_token(settings)
    journeys = load_journeys([settings.journeys_dir])
    outbox = Outbox(settings.state_dir / "outbox.sqlite3", settings.outbox.key)
    client = HubClient(settings.hub.url, token, settings.hub.connect_timeout_seconds,
                       settings.hub.read_timeout_seconds)
    vitals = Vitals(outbox, settings.state_dir, journeys, settings_digest(settings))
    worker = OutboxWorker(outbox, client, settings.outbox.first_retry_seconds, settings.outbox.max_retry_seconds,
                          vitals=vitals)
    lessons = load_lessons(settings.lessons_dir, {j.id for j in journeys}) if settings.lessons_dir else []
    catalogs = load_catalogs(settings.languages_dir)
    return Services(settings, journeys, outbox, client, worker, load_places(settings.places_file), lessons=lessons,
                    catalogs=catalogs)


def build_kiosk(app: QApplication, services: Services) -> tuple[KioskWindow, KioskController]:
    prepare_app(app, services.settings.touch_only)
    install_heading_role(app)
    window = KioskWindow(services.settings.branding)
    display = DisplaySettings(app, window, services.settings.branding)
    controller = KioskController(window, services, display)
    services.worker.set_listener(controller.on_send_state)
    if services.worker.vitals is not None:
        services.worker.vitals.screen = controller.screen_code
    return window, controller


def show_full_screen(window: KioskWindow) -> None:
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        # Without a window manager showFullScreen() does not resize, so size from the screen first.
        window.setGeometry(screen.geometry())
        screen.geometryChanged.connect(lambda _rect: window.fit_screen())
    window.showFullScreen()
    window.fit_screen()


def quit_on_signals(app: QApplication, window: KioskWindow) -> tuple[object, ...]:
    """SIGINT/SIGTERM end the app cleanly, even while Qt's loop (not Python) is running."""
    read_end, write_end = socket.socketpair()
    read_end.setblocking(False)
    write_end.setblocking(False)
    signal.set_wakeup_fd(write_end.fileno())
    notifier = QSocketNotifier(read_end.fileno(), QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda: read_end.recv(64))  # waking Python runs the handlers

    def stop(signum: int, _frame: object) -> None:
        log.info("stopping on signal %d", signum)
        window.allow_close = True
        # Once the loop runs: a signal just before it starts would make quit() a no-op and the
        # kiosk would never stop (found: SIGTERM right after "kiosk ready").
        QTimer.singleShot(0, app.quit)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    return (read_end, write_end, notifier)  # the caller keeps these alive


def collect_on_qt_thread(app: QApplication) -> QTimer:
    """Python's cycle collector runs only here, on the Qt thread, every minute and after each
    wipe (SessionFlow), never whenever some other thread happens to allocate: a collection on a
    worker thread would destroy Qt objects off the Qt thread, which can deadlock or crash Qt."""
    gc.disable()
    timer = QTimer(app)
    timer.timeout.connect(gc.collect)
    timer.start(60_000)
    return timer


def set_aside_what_lasts() -> None:
    """What is loaded by now (modules, settings, journeys, catalogs: about 60,000 objects) lasts
    as long as the kiosk. It is set aside where the collector never looks again (``gc.freeze``),
    so the collection after each wipe and every minute looks only at what sessions made: about
    33 ms on the Qt thread became 4 ms, and a wipe 43 ms to the attract screen painted became 13
    (``bench.journeys``, docs/benchmarks.md).
    Called once, before any page is built: a page set aside, if it were in a reference cycle,
    could never be collected."""
    gc.collect()
    gc.freeze()


def build_as_run(app: QApplication, settings: KioskSettings) -> tuple[Services, KioskWindow, KioskController]:
    """The kiosk as ``run`` builds it, Python's collector included (the benchmarks use this)."""
    collect_on_qt_thread(app)
    services = build_services(settings)
    set_aside_what_lasts()
    window, controller = build_kiosk(app, services)
    return services, window, controller


def run(settings: KioskSettings, shown: Callable[[QWidget | None], None] | None = None,
        notifier: systemd.Notifier | None = None) -> int:
    """The kiosk's loop. ``shown`` is called with the page on screen once the real window is
    (kiosk/boot.py closes its first screen then, and replays a touch made on it)."""
    import qasync

    notifier = notifier or systemd.Notifier()  # before Qt starts anything that could inherit the socket
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("council-kiosk")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    services, window, controller = build_as_run(app, settings)
    controller.end_session("startup")  # a (re)start is a wipe too: clean screen, no temp files
    signal_handles = quit_on_signals(app, window)

    def exit_app(code: int) -> None:
        window.allow_close = True
        app.exit(code)

    controller.maintenance.exit_app = exit_app
    show_full_screen(window)
    if shown is not None:
        window.repaint()  # on the screen before the first screen goes, so nothing flickers
        shown(window.page)
    worker_task = loop.create_task(services.worker.run())
    health_task = loop.create_task(services.worker.status.watch(services.client,
                                                                settings.service.health_check_seconds))
    ready_file = os.environ.get("KIOSK_READY_FILE")
    if ready_file:
        Path(ready_file).write_text("attract\n")
    screen = app.primaryScreen()
    log.info("kiosk ready at the attract screen", extra={
        "kiosk": settings.kiosk_id, "queued": services.outbox.depth(), "platform": app.platformName(),
        "screen": f"{screen.size().width()}x{screen.size().height()}" if screen else "none"})
    # Logged first, so whoever waits for READY finds the line (a test, or journald readers).
    notifier.notify("READY=1\nSTATUS=At the attract screen")
    pings = QTimer()
    interval = notifier.watchdog_interval_ms()
    if interval is not None:
        pings.timeout.connect(lambda: notifier.notify("WATCHDOG=1"))
        pings.start(interval)
    app.aboutToQuit.connect(worker_task.cancel)
    app.aboutToQuit.connect(health_task.cancel)
    with loop:
        code = loop.run_forever()
    controller.shell.events.flush()  # made in the last moment before the exit
    services.outbox.close()
    signal.set_wakeup_fd(-1)  # before the socket behind it goes
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    del signal_handles
    return int(code or 0)
