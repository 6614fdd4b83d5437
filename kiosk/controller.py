"""The kiosk's composition root: makes the shell and the flows, wires the application-wide
watchers (idle, lockdown, keypad, speech, explore-by-touch), and is the ``Navigation`` through
which one flow reaches another. It decides nothing itself.

Every answer a resident gives lives in ``shell.resident``; ``end_session`` (the session flow's
wipe) drops it and everything that shows it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from accessibility.display import DisplaySettings
from accessibility.explore import ExploreByTouch
from accessibility.keypad import Keypad
from accessibility.speech import Narrator, QtSpeaker
from kiosk.app_events import unwatch
from kiosk.flows.assist import AssistFlow
from kiosk.flows.handoff import HandoffFlow
from kiosk.flows.journey import JourneyFlow
from kiosk.flows.maintenance import MaintenanceFlow
from kiosk.flows.menus import MenusFlow
from kiosk.flows.session import SessionFlow
from kiosk.flows.taster import TasterFlow
from kiosk.idle import IdleTimer
from kiosk.lockdown import Lockdown
from kiosk.shell import Services, Shell
from kiosk.tasks import TaskRunner
from kiosk.views.window import KioskWindow
from kiosk.workflows.messages import Screen

__all__ = ["KioskController", "Services"]


class KioskController(QObject):
    def __init__(self, window: KioskWindow, services: Services, display: DisplaySettings) -> None:
        super().__init__()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.window = window
        self.services = services
        engine = services.settings.speech_engine
        self.narrator = Narrator(app, lambda: QtSpeaker(engine))
        self.shell = shell = Shell(app, window, services, display, self.narrator)
        shell.nav = self
        self.display = display
        self.lockdown = Lockdown(app)
        self.explore = ExploreByTouch(app, self.narrator, window)
        # The order flows are made is the order of their parts of the wipe.
        self.session_flow = SessionFlow(shell)
        lessons_dir = services.settings.lessons_dir
        self.taster = TasterFlow(shell, services.lessons, (lessons_dir or Path(".")) / "illustrations",
                                 services.settings.taster.poll_seconds)
        self.assist = AssistFlow(shell, self.taster)
        self.menus = MenusFlow(shell)
        self.journey = JourneyFlow(shell)
        self.handoff = HandoffFlow(shell)
        self.maintenance = MaintenanceFlow(shell, app, self.session_flow.is_open, self._open_today)
        self.keypad = Keypad(app, window, self.menus.keypad_help, self.menus.speak_focus)
        self._closed = False
        # Nothing of a session outlives its window: no timer fires, no reply lands, on a deleted page.
        window.destroyed.connect(self.close)

    # ---- what tests and the app use ------------------------------------------------------
    @property
    def idle(self) -> IdleTimer:
        return self.shell.idle

    @property
    def tasks(self) -> TaskRunner:
        return self.shell.tasks

    def on_send_state(self, reference: str, state: str) -> None:
        """From the outbox worker: the confirmation tells the truth about the submission."""
        self.journey.on_send_state(reference, state)

    def close(self) -> None:
        """Stop every timer and task, and take the watchers off the application."""
        if self._closed:
            return
        self._closed = True
        self.shell.tasks.shutdown()
        self.shell.idle.stop()
        self.session_flow.close()
        self.handoff.close()
        self.assist.close()
        self.taster.close()
        self.menus.close()
        app = QApplication.instance()
        if app is not None:
            for watcher in (self.shell.idle, self.lockdown, self.maintenance.corner, self.keypad, self.narrator,
                            self.explore):
                unwatch(app, watcher)

    def _open_today(self) -> None:
        self.session_flow.open_override = self.session_flow.clock().date()

    # ---- Navigation: how one flow reaches another -----------------------------------------
    def screen_code(self) -> Screen:
        """Which screen shows, as a code for the heartbeat (never what is on it)."""
        shell = self.session_flow.shell
        if self.window.overlay is not None or shell.resident.officer is not None:
            return "assist"
        if self.taster.active:
            return "taster"
        fixed: dict[str, Screen] = {"attract_page": "attract", "closed_page": "closed", "maintenance": "maintenance"}
        if shell.page_name() in fixed:
            return fixed[shell.page_name()]
        if shell.resident.confirmation is not None:
            return "confirmation"
        return "journey" if shell.resident.journey is not None else "home"

    def show_attract(self) -> None:
        self.session_flow.show_attract()

    def show_home(self) -> None:
        self.session_flow.show_home()

    def end_session(self, reason: str = "finish") -> None:
        self.session_flow.end_session(reason)

    def ask_why(self) -> None:
        self.session_flow.ask_why()

    def show_step(self) -> None:
        self.journey.show_step()

    def start_handoff(self) -> None:
        self.handoff.start()

    def show_accessibility(self) -> None:
        self.menus.show_accessibility()

    def show_languages(self) -> None:
        self.menus.show_languages()

    def set_language(self, code: str, redraw: bool = True) -> None:
        self.menus.set_language(code, redraw)

    def refresh_assist(self) -> None:
        self.assist.refresh()

    def practice_error(self) -> None:
        self.taster.practice_error()
