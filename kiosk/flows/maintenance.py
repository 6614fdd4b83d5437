"""Maintenance: press and hold the top-left corner, type the maintenance PIN (checked off the Qt
thread, with a lockout), then see the kiosk's state and restart, stop or open it out of hours."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from kiosk import __version__
from kiosk.pin_lock import PinLock, PinResult
from kiosk.shell import Shell
from kiosk.views.hold import CornerHold
from kiosk.views.pages import MaintenancePage
from kiosk.views.pinpad import PinPad

log = logging.getLogger("kiosk.maintenance")

#: Exit codes: systemd restarts the kiosk after EXIT_RESTART, and not after EXIT_STOP
#: (RestartPreventExitStatus=64 in the unit).
EXIT_RESTART = 75
EXIT_STOP = 64


class MaintenanceFlow(QObject):
    def __init__(self, shell: Shell, app: QApplication, is_open: Callable[[], bool],
                 open_today: Callable[[], None]) -> None:
        super().__init__()
        self.shell = shell
        self._is_open = is_open
        self._open_today = open_today
        settings = shell.settings
        m = settings.maintenance
        self.pin_lock = (PinLock(m.pin_hash, settings.state_dir / "maintenance.json", m.max_tries,
                                 m.lockout_seconds) if m is not None else None)
        self.corner = CornerHold(app, shell.window, round((m.hold_seconds if m else 3.0) * 1000))
        self.corner.held.connect(self._on_hold)
        #: How the app ends itself (restart: 75, stop for good: 64); app.run replaces it.
        self.exit_app: Callable[[int], None] = lambda code: log.info("exit requested", extra={"code": code})

    def _on_hold(self) -> None:
        if self.pin_lock is None:
            log.info("maintenance gesture, but no maintenance PIN is configured")
            return
        shell = self.shell
        shell.idle.pause()
        pad = shell.window.show_pinpad("Staff only: enter the maintenance PIN")
        pad.submitted.connect(self._on_pin)
        pad.cancelled.connect(self._close_pinpad)
        pad.show_locked(self.pin_lock.locked_for())

    def _close_pinpad(self) -> None:
        self.shell.close_overlay()
        self.shell.idle.resume()

    def _on_pin(self, pin: str) -> None:
        pad = self.shell.window.overlay
        lock = self.pin_lock
        if lock is None or not isinstance(pad, PinPad):
            return
        pad.say("Checking…")
        pad.set_locked(True)  # one check at a time; argon2 runs off the Qt thread

        def checked(result: PinResult) -> None:
            if self.shell.window.overlay is not pad:
                return
            pad.set_locked(False)
            if result.ok:
                self.shell.close_overlay()
                self.show()
            elif result.locked_for:
                pad.show_locked(result.locked_for)
            else:
                pad.say(f"Wrong PIN. {result.tries_left} tr{'ies' if result.tries_left != 1 else 'y'} left.")

        def failed(_exc: Exception) -> None:  # the lock file could not be read or written
            if self.shell.window.overlay is pad:
                pad.set_locked(False)
                pad.say("The PIN could not be checked. Try again.")

        self.shell.off_thread(lambda: lock.check(pin), checked, failed)

    def show(self) -> None:
        shell = self.shell
        shell.tasks.cancel_all()
        shell.resident.journey = None  # staff took over the screen: the resident's answers go
        services = shell.services
        status = shell.hub_status
        hub = {True: "connected", False: f"not reachable for {round(status.down_for())} s",
               None: "not contacted yet"}[status.reachable]
        facts = [
            ("Kiosk", f"{shell.settings.kiosk_id} at {shell.settings.site}"),
            ("Version", __version__),
            ("Hub", f"{shell.settings.hub.url} ({hub})"),
            ("Waiting to send", str(services.outbox.depth())),
            ("Refused by the hub, kept here", str(services.outbox.held())),
            ("Unreadable, set aside", str(services.outbox.quarantined())),
            ("Last error", services.worker.last_error or "none"),
        ]
        held = services.outbox.held_items()
        facts += [(f"Refused {item.kind} {item.reference or item.id}",
                   f"{item.reason} (queued {time.strftime('%d %b %H:%M', time.localtime(item.created_at))})")
                  for item in held]
        page = MaintenancePage(facts, closed=not self._is_open(), held=bool(held))
        page.action.connect(self._on_action)
        shell.show(page, "question")

    def _on_action(self, key: str) -> None:
        log.info("maintenance action", extra={"action": key})
        if key == "retry_held":
            count = self.shell.services.worker.retry_held()
            log.info("refused outbox items sent again", extra={"count": count})
            self.show()  # the list again, with what is left
            return
        if key == "restart":
            self.exit_app(EXIT_RESTART)
        elif key == "stop":
            self.exit_app(EXIT_STOP)
        else:
            if key == "open_now":
                self._open_today()
            self.shell.go().end_session("maintenance")
