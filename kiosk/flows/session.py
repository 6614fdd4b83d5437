"""The session's life: attract (or closed) screen, home, the idle warning, "Start again", the
optional "why did you come in" question, and the one wipe every way out goes through."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import shutil
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication

from kiosk.app_events import stop_timers
from kiosk.shell import Shell
from kiosk.views.attract import AttractPage
from kiosk.views.pages import HomePage, MessagePage, WhyPage
from kiosk.views.text import tr, trn
from kiosk.views.window import Overlay
from kiosk.workflows.engine import JourneySession
from kiosk.workflows.opening_hours import WEEKDAYS, hours_lines, open_at
from kiosk.workflows.why import WHY_REASONS

log = logging.getLogger("kiosk.session")



class SessionFlow(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self._why_asked = False
        self.tmp_dir = shell.settings.state_dir / "tmp"
        #: Local time, for opening hours (tests replace it).
        self.clock: Callable[[], dt.datetime] = dt.datetime.now
        #: Staff opened the kiosk outside its hours: open for the rest of that day.
        self.open_override: dt.date | None = None
        # Parented to the window: the timer goes with it and never fires on a deleted page.
        self._minute = QTimer(shell.window)
        self._minute.timeout.connect(self.on_clock)
        self._minute.start(60_000)
        idle = shell.idle
        idle.warn.connect(self._on_idle_warning)
        idle.tick.connect(self._on_idle_tick)
        idle.expired.connect(self._on_idle_expired)
        shell.window.start_again.connect(self._on_start_again)

    def close(self) -> None:
        stop_timers(self._minute)

    # ---- opening hours --------------------------------------------------------------
    def is_open(self) -> bool:
        now = self.clock()
        if self.open_override == now.date():
            return True
        return open_at(self.shell.settings.opening_hours.today(now.weekday()), now)

    def opening_hours_text(self) -> list[str]:
        hours = self.shell.settings.opening_hours
        return hours_lines([hours.today(i) for i in range(len(WEEKDAYS))], tr)

    def on_clock(self) -> None:
        """Every minute: switch between the attract and closed screens at opening times."""
        name = self.shell.page_name()
        showing_open, showing_closed = name == "attract_page", name == "closed_page"
        if (showing_open or showing_closed) and self.shell.window.overlay is None and showing_open != self.is_open():
            self.show_attract()

    # ---- screens ------------------------------------------------------------------
    def show_attract(self) -> None:
        shell = self.shell
        settings = shell.settings
        a = settings.attract
        if self.is_open():
            page = AttractPage(settings.branding.council_name, a.messages, round(a.rotate_seconds * 1000),
                               languages=[c.language.name for c in shell.catalogs.values()])
            page.start.connect(self.show_home)
            page.privacy.clicked.connect(self._on_privacy)
            page.accessibility.clicked.connect(shell.go().show_accessibility)
            page.language.clicked.connect(shell.go().show_languages)
        else:
            page = AttractPage(settings.branding.council_name, closed_hours=self.opening_hours_text())
        shell.show(page, "none", top_bar=False)

    def hub_down(self) -> bool:
        """Down for longer than the site tolerates: time to tell residents."""
        status = self.shell.hub_status
        return (status.reachable is False
                and status.down_for() >= self.shell.settings.service.out_of_service_after_seconds)

    def show_home(self) -> None:
        shell = self.shell
        if not shell.events.session_id:
            shell.events.session_started(language=shell.catalog.code, settings=shell.display.chosen() +
                                         (["speech"] if shell.narrator.enabled else []))
        shell.note_left("start_again")
        shell.resident.journey = None
        journeys = shell.services.journeys
        offline = None
        if self.hub_down():
            offline = {j.id for j in journeys if j.needs_hub}
            if len(offline) == len(journeys):
                self._show_out_of_service()
                return
        page = HomePage([shell.catalog.journey(j) for j in journeys], offline)
        page.journey_chosen.connect(self.start_journey)
        shell.show(page, "question")

    def start_journey(self, journey_id: str) -> None:
        shell = self.shell
        shell.resident.journey = JourneySession(shell.journeys[journey_id], catalog=shell.catalog)
        shell.resident.journey_done = False
        shell.events.journey_started(journey_id)
        shell.go().show_step()

    def _show_out_of_service(self) -> None:
        page = MessagePage("out_of_service", tr("Sorry, this kiosk cannot help right now"), [
            tr("It cannot reach the council's systems, and everything here needs them."),
            self.shell.settings.branding.counter_directions,
        ], [("start", tr("Back to the start"), "primary")])
        page.action.connect(lambda _k: self.end_session("out_of_service"))
        self.shell.show(page, "question")

    def _on_privacy(self) -> None:
        self.shell.tell(tr("How we use information"), [
            tr("When you send a report or an application, your answers go to the council to deal with it. "
               "They are sent encrypted and deleted from this kiosk once the council has them."),
            tr("The kiosk also counts, without your name or your answers, which tasks are used, where people "
               "stop, which questions cause problems, which settings and languages are chosen, and the answer "
               "to the optional question about why you came in. Small numbers are never shown, so nobody "
               "can be picked out."),
            tr("When you finish or walk away, everything you entered is cleared from the screen."),
        ], tr("Close"))

    # ---- the wipe -------------------------------------------------------------------
    def end_session(self, reason: str = "finish") -> None:
        """The one wipe: every way out of a session comes here (finish, timeout, start again,
        handoff, officer end, taster end, start-up after a crash). Drops the answers, every page
        and overlay that showed them, pending look-ups, the keyboard, the clipboard and temporary
        files, runs every flow's reset, then shows the attract screen."""
        shell = self.shell
        resident = shell.resident
        shell.tasks.cancel_all()
        shell.idle.stop()
        shell.stop_busy()
        journey = resident.journey.journey.id if resident.journey is not None else ""
        shell.note_left({"finish": "end_page"}.get(reason, reason))
        shell.events.session_ended()
        self._why_asked = False
        resident.journey = None
        resident.confirmation = None
        resident.practice = None
        shell.window.close_overlay()
        shell.window.keyboard.detach()
        clipboard = QApplication.clipboard()
        if clipboard is not None:
            clipboard.clear(QClipboard.Mode.Clipboard)
            if clipboard.supportsSelection():
                clipboard.clear(QClipboard.Mode.Selection)
        if self.tmp_dir.exists():
            shutil.rmtree(self.tmp_dir, ignore_errors=True)
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        shell.run_wipers(reason)
        log.info("session ended", extra={"reason": reason, "journey": journey})
        self.show_attract()
        gc.collect()  # here, on the Qt thread, and never on another one (see kiosk.app)

    def _on_start_again(self) -> None:
        if self.shell.resident.journey is None:
            self.end_session("start_again")
            return
        overlay = self.shell.ask(
            tr("Do you want to start again?"),
            [tr("Everything you have entered will be deleted.")],
            [("confirm", tr("Yes, delete my answers"), "primary"), ("cancel", tr("No, go back"), "secondary")],
        )
        overlay.action.connect(
            lambda k: self.end_session("start_again") if k == "confirm" else self.shell.close_overlay())

    # ---- after a finished task --------------------------------------------------------
    def ask_why(self) -> None:
        """After a finished task: the one optional insight question, once per session."""
        if self._why_asked:
            self.end_session("finish")
            return
        self._why_asked = True
        self.shell.resident.confirmation = None
        page = WhyPage(WHY_REASONS)
        page.action.connect(self._on_why)
        self.shell.show(page, "question")

    def _on_why(self, key: str) -> None:
        if key.startswith("why_"):
            self.shell.events.why_answered(key.removeprefix("why_"))
        self.end_session("finish")

    # ---- idle warning -------------------------------------------------------------
    def _on_idle_expired(self) -> None:
        self.end_session("timeout")

    def _on_idle_warning(self, seconds: int) -> None:
        resident = self.shell.resident
        on_confirmation = resident.confirmation is not None
        can_hand_off = (resident.journey is not None and resident.journey.journey.submit is not None
                        and resident.practice is None)
        overlay = self.shell.ask(
            tr("Do you need more time?"),
            [self._countdown_text(seconds, on_confirmation)],
            [("more_time", tr("I need more time"), "primary"),
             *([("handoff", tr("Finish on my phone"), "secondary")] if can_hand_off else []),
             ("end", tr("Finish now") if on_confirmation else tr("Start again now"), "secondary")],
        )
        overlay.action.connect(self._on_idle_answer)

    def _countdown_text(self, seconds: int, on_confirmation: bool) -> str:
        if on_confirmation:
            return trn("This screen will close in {count} second.", "This screen will close in {count} seconds.",
                       seconds)
        if self.shell.resident.journey is None:
            return trn("This screen will go back to the start in {count} second.",
                       "This screen will go back to the start in {count} seconds.", seconds)
        return trn("Your answers will be deleted in {count} second.",
                   "Your answers will be deleted in {count} seconds.", seconds)

    def _on_idle_tick(self, seconds: int) -> None:
        if seconds in (20, 10, 5, 4, 3, 2, 1):
            self.shell.narrator.say(trn("{count} second.", "{count} seconds.", seconds))
        overlay = self.shell.window.overlay
        if isinstance(overlay, Overlay):
            overlay.set_text(0, self._countdown_text(seconds, self.shell.resident.confirmation is not None))

    def _on_idle_answer(self, key: str) -> None:
        if key == "more_time":
            self.shell.close_overlay()
            self.shell.idle.extend()
        elif key == "handoff":
            self.shell.idle.extend()
            self.shell.go().start_handoff()
        else:
            self.end_session("timeout_confirmed")
