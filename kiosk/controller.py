"""Joins the pages to the journey engine and the hub. Decides which page shows, never how.

Every answer a resident gives lives in one ``JourneySession``; ``end_session`` drops it and
everything that shows it.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kiosk import __version__
from kiosk.announce import announce, announce_page
from kiosk.app_events import unwatch
from kiosk.config import WEEKDAYS, KioskSettings
from kiosk.display_settings import DisplaySettings
from kiosk.events import EventLog
from kiosk.hub_client import HubClient, HubRejected, HubUnavailable
from kiosk.hub_status import HubStatus
from kiosk.idle import IdleTimer
from kiosk.keypad import HELP_TEXT, Keypad
from kiosk.lockdown import Lockdown
from kiosk.maintenance import Lockout, PinLock
from kiosk.outbox import Outbox
from kiosk.outbox_worker import OutboxWorker
from kiosk.places import Place, places_offering
from kiosk.references import new_reference
from kiosk.speech import ExploreByTouch, Narrator, QtSpeaker, page_text, spell
from kiosk.staff_access import Officer, StaffPins
from kiosk.tasks import TaskRunner
from kiosk.taster import TASTER_IDLE_MS, PracticeRun, TasterController
from kiosk.views.hold import CornerHold
from kiosk.views.pages import (
    AttractPage,
    CheckAnswersPage,
    ConfirmationPage,
    HandoffPage,
    HomePage,
    MaintenancePage,
    MessagePage,
    ResultPage,
    Section,
    StepPage,
    WhyPage,
    busy_page,
)
from kiosk.views.pinpad import PinPad
from kiosk.views.text import CatalogTranslator, tr, trn
from kiosk.views.window import KioskWindow, Overlay
from kiosk.workflows.describe import OptionView
from kiosk.workflows.engine import JourneySession
from kiosk.workflows.i18n import N_, Catalog, english
from kiosk.workflows.lessons import Lesson
from kiosk.workflows.model import Journey, StepType
from kiosk.workflows.validators import FieldError, validate_postcode
from kiosk.workflows.why import WHY_REASONS

log = logging.getLogger("kiosk.controller")
T = TypeVar("T")

#: Exit codes: systemd restarts the kiosk after EXIT_RESTART, and not after EXIT_STOP
#: (RestartPreventExitStatus=64 in the unit).
EXIT_RESTART = 75
#: Idle limit while an officer's panel is open.
OFFICER_IDLE_MS = 10 * 60_000
EXIT_STOP = 64

SEND_STATUS = {
    "sending": N_("Sending to the council now."),
    "sent": N_("Sent. The council has received it."),
    "waiting": N_("Saved on this kiosk. It will be sent when the connection is back. Keep your reference."),
    "held": N_("Saved on this kiosk. Staff will make sure it reaches the right team. Keep your reference."),
}


#: What the hub's collections look-up sends, so the words can be translated.
BIN_NAMES = (N_("General waste (grey bin)"), N_("Recycling (blue bin)"), N_("Garden waste (brown bin)"))
WEEKDAY_NAMES = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
                 N_("Sunday"))


@dataclass
class Services:
    settings: KioskSettings
    journeys: list[Journey]
    outbox: Outbox
    client: HubClient
    worker: OutboxWorker
    places: list[Place] = field(default_factory=list)
    events: EventLog | None = None
    lessons: list[Lesson] = field(default_factory=list)
    #: Languages by code, English first (see kiosk/workflows/i18n.py).
    catalogs: dict[str, Catalog] = field(default_factory=lambda: {"en": english()})


class KioskController:
    def __init__(self, window: KioskWindow, services: Services, display: DisplaySettings) -> None:
        self.window = window
        self.services = services
        self.journeys = {j.id: j for j in services.journeys}
        self.session: JourneySession | None = None
        self.events = services.events or EventLog(services.outbox)
        #: The current journey has reached its end (a result shown), so leaving is not giving up.
        self._journey_done = False
        self._why_asked = False
        self.tasks = TaskRunner()
        self._confirmation: tuple[str, ConfirmationPage] | None = None
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        t = services.settings.timeouts
        self.idle = IdleTimer(app, t.warning_seconds * 1000)
        self.question_ms = t.question_seconds * 1000
        self.confirmation_ms = t.confirmation_seconds * 1000
        self.display = display
        engine = services.settings.speech_engine
        self.narrator = Narrator(app, lambda: QtSpeaker(engine))
        #: Longer timeouts with large text or speech (WCAG 2.2.1: people who need it get more time).
        self.time_factor: Callable[[], float] = (
            lambda: 2.0 if display.text_size != "standard" or self.narrator.enabled else 1.0)
        #: Resets run by the wipe: the resident's display and speech choices go back to the site's.
        self.on_wipe: list[Callable[[], None]] = [display.reset, self.narrator.reset,
                                                   self._hide_repeat]
        self._busy = False
        self.tmp_dir = services.settings.state_dir / "tmp"
        m = services.settings.maintenance
        self.pin_lock = (PinLock(m.pin_hash, services.settings.state_dir / "maintenance.json", m.max_tries,
                                 m.lockout_seconds) if m is not None else None)
        self.corner = CornerHold(app, window, round((m.hold_seconds if m else 3.0) * 1000))
        self.corner.held.connect(self._on_staff_hold)
        self.lockdown = Lockdown(app)
        #: How the app ends itself (restart: 75, stop for good: 64); app.run replaces it.
        self.exit_app: Callable[[int], None] = lambda code: log.info("exit requested", extra={"code": code})
        #: Local time, for opening hours (tests replace it).
        self.clock: Callable[[], dt.datetime] = dt.datetime.now
        #: Staff opened the kiosk outside its hours: open for the rest of that day.
        self.open_override: dt.date | None = None
        self._minute = QTimer()
        self._minute.timeout.connect(self._on_clock)
        self._minute.start(60_000)
        state = services.settings.state_dir
        self.officer: Officer | None = None
        self._revealed = False
        self.staff_lock = Lockout(state / "staff-lock.json", 5, 300)
        self.staff_pins = StaffPins(state / "staff-pins.json")
        self._pin_sync = QTimer()
        self._pin_sync.timeout.connect(self.sync_staff_pins)
        self._pin_sync.start(10 * 60_000)
        window.staff.connect(self._on_staff)
        panel = window.assist
        panel.go_to.connect(self._officer_go_to)
        panel.reveal.connect(self._officer_reveal)
        panel.pause_toggled.connect(self._officer_pause)
        panel.assisted_toggled.connect(self._officer_assisted)
        panel.handoff.connect(self._officer_handoff)
        panel.end.connect(self._officer_end)
        panel.hand_back.connect(self._officer_hand_back)
        self.idle.warn.connect(self._on_idle_warning)
        self.idle.tick.connect(self._on_idle_tick)
        self.idle.expired.connect(lambda: self.end_session("timeout"))
        window.start_again.connect(self._on_start_again)
        self.keypad = Keypad(app, window, self._on_keypad_help)
        self.explore = ExploreByTouch(app, self.narrator, window)
        window.accessibility.connect(self.show_accessibility)
        window.repeat.connect(self.narrator.repeat)
        window.get_help.connect(self._on_get_help)
        window.keyboard.enter_pressed.connect(self._on_keyboard_enter)
        self.catalogs = services.catalogs
        self.catalog = self.catalogs.get("en") or english()
        self._translator: CatalogTranslator | None = None
        window.languages.connect(self.show_languages)
        #: Set while a taster learner does a practice run of a journey (nothing is sent).
        self.practice: PracticeRun | None = None
        lessons_dir = services.settings.lessons_dir
        self.taster = TasterController(self, services.lessons, (lessons_dir or Path(".")) / "illustrations",
                                       services.settings.taster.poll_seconds)
        # The wipe puts the language back too (after the taster, so its last words are in any language).
        self.on_wipe.append(lambda: self.set_language("en", redraw=False))

    def _hide_repeat(self) -> None:
        self.window.repeat_button.hide()
        self.window.fit_top_bar()

    @property
    def hub_status(self) -> HubStatus:
        return self.services.worker.status

    def hub_down(self) -> bool:
        """Down for longer than the site tolerates: time to tell residents."""
        return (self.hub_status.reachable is False
                and self.hub_status.down_for() >= self.settings.service.out_of_service_after_seconds)

    def show_out_of_service(self) -> None:
        page = MessagePage("out_of_service", tr("Sorry, this kiosk cannot help right now"), [
            tr("It cannot reach the council's systems, and everything here needs them."),
            self.settings.branding.counter_directions,
        ], [("start", tr("Back to the start"), "primary")])
        page.action.connect(lambda _k: self.end_session("out_of_service"))
        self._show(page, "question")

    def close(self) -> None:
        """Stop timers and take this controller's event filters off the application."""
        self.tasks.cancel_all()
        self.idle.stop()
        self._minute.stop()
        self._pin_sync.stop()
        self.taster.close()
        app = QApplication.instance()
        if app is not None:
            for watcher in (self.idle, self.lockdown, self.corner, self.keypad, self.narrator, self.explore):
                unwatch(app, watcher)

    @property
    def settings(self) -> KioskSettings:
        return self.services.settings

    # ---- session lifecycle --------------------------------------------------------
    def _show(self, page: QWidget, idle: str, top_bar: bool = True) -> None:
        """Put a page up and set the idle timer for it: question, confirmation, busy or none."""
        self.window.show_page(page, top_bar=top_bar)
        announce_page(page)
        self._refresh_panel()
        if isinstance(page, ConfirmationPage):
            page.spell.setVisible(self.narrator.enabled)
            page.spell.clicked.connect(lambda: self.narrator.say(spell(self._reference_on(page))))
        self.narrator.read(page)
        if idle == "busy":
            if not self._busy:
                self._busy = True
                self.idle.pause()
            return
        if self._busy:
            self._busy = False
            self.idle.resume()
        if idle == "none":
            self.idle.stop()
        elif self.taster.active:
            self.idle.arm(TASTER_IDLE_MS)
        else:
            base = self.confirmation_ms if idle == "confirmation" else self.question_ms
            self.idle.arm(round(base * self.time_factor()))

    def is_open(self) -> bool:
        now = self.clock()
        if self.open_override == now.date():
            return True
        hours = self.settings.opening_hours.today(now.weekday())
        if hours == "closed":
            return False
        start, end = (dt.time.fromisoformat(t) for t in hours.split("-"))
        return start <= now.time() <= end

    def opening_hours_text(self) -> list[str]:
        hours = self.settings.opening_hours
        return [tr("{day}: closed", day=tr(WEEKDAY_NAMES[i])) if h == "closed" else
                tr("{day}: {opens} to {closes}", day=tr(WEEKDAY_NAMES[i]), opens=h[:5], closes=h[6:])
                for i, h in ((i, hours.today(i)) for i in range(len(WEEKDAYS)))]

    def show_attract(self) -> None:
        a = self.settings.attract
        if self.is_open():
            page = AttractPage(self.settings.branding.council_name, a.messages, round(a.rotate_seconds * 1000),
                               languages=[c.language.name for c in self.catalogs.values()])
            page.start.connect(self.show_home)
            page.privacy.clicked.connect(self._on_privacy)
            page.accessibility.clicked.connect(self.show_accessibility)
            page.language.clicked.connect(self.show_languages)
        else:
            page = AttractPage(self.settings.branding.council_name, closed_hours=self.opening_hours_text())
        self._show(page, "none", top_bar=False)

    def _on_clock(self) -> None:
        """Every minute: switch between the attract and closed screens at opening times."""
        page = self.window.page
        showing_open = page is not None and page.objectName() == "attract_page"
        showing_closed = page is not None and page.objectName() == "closed_page"
        if (showing_open or showing_closed) and self.window.overlay is None and showing_open != self.is_open():
            self.show_attract()

    def show_home(self) -> None:
        if not self.events.session_id:
            self.events.session_started(language=self.catalog.code, settings=self.display.chosen() +
                                        (["speech"] if self.narrator.enabled else []))
        self._note_left("start_again")
        self.session = None
        offline = None
        if self.hub_down():
            offline = {j.id for j in self.services.journeys if j.needs_hub}
            if len(offline) == len(self.services.journeys):
                self.show_out_of_service()
                return
        page = HomePage([self.catalog.journey(j) for j in self.services.journeys], offline)
        page.journey_chosen.connect(self.start_journey)
        self._show(page, "question")

    def end_session(self, reason: str = "finish") -> None:
        """The one wipe: every way out of a session comes here (finish, timeout, start again,
        start-up after a crash). Drops the answers, every page and overlay that showed them,
        pending look-ups, the keyboard, the clipboard and temporary files, and resets the
        resident's settings, then shows the attract screen."""
        self.tasks.cancel_all()
        self.idle.stop()
        self._busy = False
        journey = self.session.journey.id if self.session is not None else ""
        self._note_left({"finish": "end_page"}.get(reason, reason))
        self.events.session_ended()
        self._why_asked = False
        if self.officer is not None and reason not in ("officer_end", "startup"):
            self._audit("ended_session", "")  # the session ended with an officer on it: record when
        self.officer = None
        self._revealed = False
        self.window.assist.hide()
        self.window.banner.hide()
        self.session = None
        self._confirmation = None
        self.window.close_overlay()
        self.window.keyboard.detach()
        clipboard = QApplication.clipboard()
        if clipboard is not None:
            clipboard.clear(QClipboard.Mode.Clipboard)
            if clipboard.supportsSelection():
                clipboard.clear(QClipboard.Mode.Selection)
        if self.tmp_dir.exists():
            shutil.rmtree(self.tmp_dir, ignore_errors=True)
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        for reset in self.on_wipe:
            reset()
        log.info("session ended", extra={"reason": reason, "journey": journey})
        self.show_attract()

    # ---- maintenance --------------------------------------------------------------
    def _on_staff_hold(self) -> None:
        if self.pin_lock is None:
            log.info("maintenance gesture, but no maintenance PIN is configured")
            return
        self.idle.pause()
        pad = self.window.show_pinpad("Staff only: enter the maintenance PIN")
        pad.submitted.connect(self._on_pin)
        pad.cancelled.connect(self._close_pinpad)
        self._show_lock(pad, self.pin_lock.locked_for())

    @staticmethod
    def _show_lock(pad: PinPad, seconds: float) -> None:
        if seconds > 0:
            minutes = max(1, round(seconds / 60))
            pad.say(f"Too many wrong PINs. The PIN pad is locked for {minutes} minute{'s' if minutes != 1 else ''}.")
            pad.set_locked(True)

    def _close_pinpad(self) -> None:
        self.window.close_overlay()
        self.idle.resume()

    def _on_pin(self, pin: str) -> None:
        pad = self.window.overlay
        if self.pin_lock is None or not isinstance(pad, PinPad):
            return
        result = self.pin_lock.check(pin)
        if result.ok:
            self.window.close_overlay()
            self.show_maintenance()
        elif result.locked_for:
            self._show_lock(pad, result.locked_for)
        else:
            pad.say(f"Wrong PIN. {result.tries_left} tr{'ies' if result.tries_left != 1 else 'y'} left.")

    def show_maintenance(self) -> None:
        self.tasks.cancel_all()
        self.session = None  # staff took over the screen: the resident's answers go
        worker = self.services.worker
        status = self.hub_status
        hub = {True: "connected", False: f"not reachable for {round(status.down_for())} s",
               None: "not contacted yet"}[status.reachable]
        facts = [
            ("Kiosk", f"{self.settings.kiosk_id} at {self.settings.site}"),
            ("Version", __version__),
            ("Hub", f"{self.settings.hub.url} ({hub})"),
            ("Waiting to send", str(self.services.outbox.depth())),
            ("Refused by the hub, kept here", str(self.services.outbox.held())),
            ("Last error", worker.last_error or "none"),
        ]
        page = MaintenancePage(facts, closed=not self.is_open())
        page.action.connect(self._on_maintenance_action)
        self._show(page, "question")

    def _on_maintenance_action(self, key: str) -> None:
        log.info("maintenance action", extra={"action": key})
        if key == "restart":
            self.exit_app(EXIT_RESTART)
        elif key == "stop":
            self.exit_app(EXIT_STOP)
        elif key == "open_now":
            self.open_override = self.clock().date()
            self.end_session("maintenance")
        else:
            self.end_session("maintenance")

    # ---- idle warning -------------------------------------------------------------
    def _on_idle_warning(self, seconds: int) -> None:
        on_confirmation = self._confirmation is not None
        can_hand_off = (self.session is not None and self.session.journey.submit is not None
                        and self.practice is None)
        overlay = self._ask(
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
        if self.session is None:
            return trn("This screen will go back to the start in {count} second.",
                       "This screen will go back to the start in {count} seconds.", seconds)
        return trn("Your answers will be deleted in {count} second.",
                   "Your answers will be deleted in {count} seconds.", seconds)

    def _on_idle_tick(self, seconds: int) -> None:
        if seconds in (20, 10, 5, 4, 3, 2, 1):
            self.narrator.say(trn("{count} second.", "{count} seconds.", seconds))
        overlay = self.window.overlay
        if isinstance(overlay, Overlay):
            overlay.set_text(0, self._countdown_text(seconds, self._confirmation is not None))

    def _on_idle_answer(self, key: str) -> None:
        if key == "more_time":
            self.window.close_overlay()
            self.idle.extend()
        elif key == "handoff":
            self.idle.extend()
            self.start_handoff()
        else:
            self.end_session("timeout_confirmed")

    # ---- journeys -----------------------------------------------------------------
    def _note_left(self, reason: str) -> None:
        """A journey ends without being finished: record where, and why, for insight."""
        if self.session is not None and not self._journey_done:
            self.events.journey_left(self.session.journey.id, self.session.current.id, reason)
        self._journey_done = False

    def start_journey(self, journey_id: str) -> None:
        self.session = JourneySession(self.journeys[journey_id], catalog=self.catalog)
        self._journey_done = False
        self.events.journey_started(journey_id)
        self.show_step()

    def show_step(self) -> None:
        session = self.session
        if session is None:
            return
        step = session.current
        self.events.step_reached(session.journey.id, step.id)
        source = session.needs_dynamic_options()
        if source:
            self._load_options(session, source)
            return
        if step.type == StepType.CHECK_ANSWERS:
            page = CheckAnswersPage(session.view(), session.summary())
            page.change.connect(self._on_change)
            page.submit.connect(self._on_submit)
            page.back.connect(self._on_back)
            page.handoff.connect(self.start_handoff)
            if self.practice is not None:
                page.practice_only()
            self._show(page, "question")
            return
        if step.type == StepType.RESULT:
            self._run_lookup(session)
            return
        view = session.view()
        step_page = StepPage(view)
        step_page.continued.connect(self._on_continue)
        step_page.back.connect(self._on_back)
        step_page.handoff.connect(self.start_handoff)
        step_page.finished.connect(self._finished_at_end)
        if self.practice is not None:
            step_page.practice_only()
        if step_page.address_field is not None:
            field_ = step_page.address_field
            field_.lookup_requested.connect(lambda pc: self._lookup_addresses(field_, pc))
        self._show(step_page, "question")

    def _on_continue(self, raw: Any) -> None:
        session = self.session
        if session is None:
            return
        step_id = session.current.id
        if not session.submit_answer(raw):
            error = session.view().errors[0]
            self.events.validation_error(session.journey.id, session.current.id, error.part,
                                         session.last_error_kind)
            if self.practice is not None:
                self.taster.practice_error()
        elif (self.officer is not None and self.window.assist.isVisible()
              and session.journey.step(step_id).collects_answer):
            self.officer.entered.add(step_id)
            self._audit("changed_answer", step_id)
        self.show_step()

    def _on_keyboard_enter(self) -> None:
        page = self.window.page
        if isinstance(page, StepPage):
            page.primary.click()

    def _on_back(self) -> None:
        if self.practice is not None and (self.session is None or not self.session.back()):
            self.practice.leave()
            return
        if self.session is None or not self.session.back():
            self.show_home()
            return
        self.show_step()

    def _on_change(self, step_id: str) -> None:
        if self.session is not None:
            self.session.change(step_id)
            self.show_step()

    # ---- look-ups -----------------------------------------------------------------
    def _hub_call(self, work: Awaitable[T], done: Callable[[T], None], failed: Callable[[Exception], None]) -> None:
        """A hub call through the task runner, noting whether the hub answered."""

        def on_done(result: T) -> None:
            self.hub_status.ok()
            done(result)

        def on_failed(exc: Exception) -> None:
            if isinstance(exc, (HubUnavailable, TimeoutError)):
                self.hub_status.failed()
            failed(exc)

        self.tasks.run(work, on_done, on_failed)

    def _lookup_addresses(self, field_: Any, postcode: str) -> None:
        try:
            normalised = validate_postcode(postcode, "a postcode")
        except FieldError as err:
            field_.show_lookup_failed(err.message)
            return
        session = self.session

        def done(addresses: list[dict[str, str]]) -> None:
            if self.session is session:
                field_.show_addresses(addresses)

        def failed(exc: Exception) -> None:
            if self.session is not session:
                return
            if isinstance(exc, HubRejected) and exc.status == 422:
                field_.show_lookup_failed(exc.detail)
            else:
                field_.show_lookup_failed(tr("We cannot look up addresses right now. "
                                             "Choose My address is not listed to type the address in."))

        self._hub_call(self.services.client.addresses(normalised), done, failed)

    def _load_options(self, session: JourneySession, source: str) -> None:
        self._show(busy_page(tr("Please wait"), tr("Finding the choices for you…")), "busy")

        def done(options: list[dict[str, str]]) -> None:
            if self.session is session:
                session.set_dynamic_options(session.current.id, [
                    OptionView(o["value"], self._date_label(session, o["value"], o["label"])) for o in options])
                self.show_step()

        def failed(exc: Exception) -> None:
            if self.session is session:
                self._show_fault(
                    tr("Sorry, we cannot show the choices right now"),
                    [tr("We cannot reach the council's system to get them. Your answers so far are kept."),
                     tr("Try again in a minute, or ask at the counter.")],
                    retry=self.show_step,
                )

        self._hub_call(self.services.client.options(source), done, failed)

    @staticmethod
    def _date_label(session: JourneySession, value: str, label: str) -> str:
        """Collection days come from the hub as dates: write them in the resident's language."""
        try:
            return session.catalog.weekday_date(dt.date.fromisoformat(value))
        except ValueError:
            return label

    def _run_lookup(self, session: JourneySession) -> None:
        step = session.current
        answer = session.answers.get(step.lookup_from)
        heading = step.question
        if step.lookup == "places":
            self._show_places(session, str(answer or "wifi"))
            return
        if step.lookup == "bin_days" and isinstance(answer, dict) and not answer.get("uprn"):
            self._show_result(session, tr("We cannot check bin days for that address here"), [
                tr("We only hold collection days for addresses in our list, and the address you typed is not in it."),
                tr("Ask at the counter and staff will check for you."),
            ], [], found=False)
            return
        self._show(busy_page(tr("Please wait"), tr("Checking with the council's system…")), "busy")

        def failed(exc: Exception) -> None:
            if self.session is not session:
                return
            if isinstance(exc, HubRejected) and exc.status == 404:
                self._show_result(session, tr("We cannot find that"), [exc.detail + ".",
                                  tr("Check your receipt and try again. If you sent it in the last few minutes, "
                                     "it may still be on its way.")], [], found=False)
                return
            self._show_fault(
                tr("Sorry, we cannot check this right now"),
                [tr("We cannot reach the council's system. Nothing you entered has been lost."),
                 tr("Try again in a minute, or ask at the counter.")],
                retry=self.show_step,
            )

        if step.lookup == "bin_days":
            assert isinstance(answer, dict)

            def bins(found: dict[str, Any]) -> None:
                if self.session is not session:
                    return
                sections = []
                for c in found["collections"]:
                    try:
                        nxt = dt.date.fromisoformat(c["next"])
                        when = tr("Next collection: {date}", date=session.catalog.weekday_date(nxt))
                    except ValueError:
                        when = ""
                    every = tr("Collected every {day}", day=tr(c["day"]) if c["day"] in WEEKDAY_NAMES else c["day"])
                    sections.append(Section(tr(c["bin"]) if c["bin"] in BIN_NAMES else c["bin"],
                                            tuple(x for x in (every, when) if x)))
                self._show_result(session, heading, [found["address"],
                                  tr("Put your bin out by 7am on collection day.")], sections)

            self._hub_call(self.services.client.collections(answer["uprn"]), bins, failed)
        elif step.lookup == "request_status":

            def status(found: dict[str, Any]) -> None:
                if self.session is not session:
                    return
                title = next((self.catalog.journey(j).title for j in self.services.journeys
                              if j.title == found["title"]), found["title"])  # in the resident's language
                self._show_result(session, title, [tr("Reference {reference}", reference=found["reference"]),
                                  tr(found["status_text"])], [Section(tr("Updates"), tuple(found["updates"]))])

            self._hub_call(self.services.client.request_status(str(answer)), status, failed)

    def _show_places(self, session: JourneySession, need: str) -> None:
        found = places_offering(self.services.places, need)
        intro = [tr("All of these are free to use.")] if found else [
            tr("We do not have a list of places here yet. Ask at the counter.")]
        sections = [Section(p.name, (p.address, *p.hours, *([p.note] if p.note else []))) for p in found]
        self._show_result(session, session.current.question, intro, sections)

    def _show_result(self, session: JourneySession, heading: str, intro: list[str], sections: list[Section],
                     found: bool = True) -> None:
        page = ResultPage(session.journey.title, heading, intro, sections)
        if self.practice is not None:
            page.finished.connect(self.practice.done)
        elif found:
            self._journey_done = True
            self.events.lookup_finished(session.journey.id)
            page.finished.connect(self.ask_why)
        else:
            page.finished.connect(lambda: self.end_session("finish"))
        page.back.connect(self._on_back)
        self._show(page, "question")

    def _show_fault(self, heading: str, paragraphs: list[str], retry: Any) -> None:
        page = MessagePage("fault", heading, paragraphs, [("retry", tr("Try again"), "primary"),
                                                          ("start", tr("Start again"), "secondary")])
        page.action.connect(lambda key: retry() if key == "retry" else self._leave_journey())
        self._show(page, "question")

    def _leave_journey(self) -> None:
        if self.practice is not None:
            self.practice.leave()
        else:
            self.end_session("start_again")

    def _finished_at_end(self) -> None:
        """"Back to the start" on a journey's last information page."""
        if self.practice is not None:
            self.practice.done()
        else:
            self.end_session("finish")

    # ---- submitting ---------------------------------------------------------------
    def _on_submit(self) -> None:
        session = self.session
        if self.practice is not None:
            self.practice.done()  # a practice run: nothing is sent
            return
        if session is None or session.journey.submit is None:
            return
        payload = session.submission()
        reference = new_reference()
        officer = self.officer
        assisted = officer is not None and officer.assisted
        payload.update(
            reference=reference,
            channel="assisted" if assisted else "self-service",
            submitted_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        if officer is not None and assisted:
            entered = [sid for sid in session.path() if sid in officer.entered]
            payload.update(officer_id=officer.staff_id, officer_entered=entered)
        try:
            self.services.outbox.put("submission", uuid.uuid4().hex, payload)
        except Exception:
            log.exception("could not commit a submission to the outbox")
            fault = MessagePage("fault", tr("Sorry, we could not save your answers"), [
                tr("Nothing has been sent. This kiosk has a problem storing information."),
                self.settings.branding.counter_directions,
            ], [("start", tr("Start again"), "primary")])
            fault.action.connect(lambda _k: self.end_session("start_again"))
            self._show(fault, "question")
            return
        log.info("submission queued", extra={"journey": session.journey.id})
        self.events.submitted(session.journey.id, payload["channel"], session.error_count)
        self._journey_done = True
        submit = session.journey.submit
        initial = "waiting" if self.hub_status.reachable is False else "sending"
        url = f"{(self.settings.hub.public_url or self.settings.hub.url).rstrip('/')}/track/{reference}"
        if self.catalog.code != "en":
            url += f"?lang={self.catalog.code}"  # the tracking page in the resident's language
        page = ConfirmationPage(submit.confirmation_title, reference, submit.what_happens_next, url,
                                tr(SEND_STATUS[initial]))
        page.finished.connect(self.ask_why)
        self._confirmation = (reference, page)
        self.session = None  # answers are in the outbox now; nothing to go back to
        self._show(page, "confirmation")
        self.services.worker.wake()

    def on_send_state(self, reference: str, state: str) -> None:
        """From the outbox worker: tell the resident the truth about their submission."""
        if self._confirmation is not None and self._confirmation[0] == reference:
            self._confirmation[1].set_status(tr(SEND_STATUS.get(state, SEND_STATUS["waiting"])))

    # ---- top bar ------------------------------------------------------------------
    def _on_start_again(self) -> None:
        if self.session is None:
            self.end_session("start_again")
            return
        overlay = self._ask(
            tr("Do you want to start again?"),
            [tr("Everything you have entered will be deleted.")],
            [("confirm", tr("Yes, delete my answers"), "primary"), ("cancel", tr("No, go back"), "secondary")],
        )
        overlay.action.connect(
            lambda k: self.end_session("start_again") if k == "confirm" else self.window.close_overlay())

    # ---- finish on my phone -------------------------------------------------------
    def start_handoff(self) -> None:
        session = self.session
        if session is None or session.journey.submit is None or self.practice is not None:
            return
        self.window.close_overlay()
        state = {
            "journey_id": session.journey.id, "answers": session.answers, "history": session.history,
            "changing": session.changing,
            "dynamic": {sid: [[o.value, o.label] for o in opts] for sid, opts in session.dynamic_options().items()},
            "language": self.catalog.code,
        }
        self._show(busy_page(tr("Please wait"), tr("Getting a link for your phone…")), "busy")

        def done(made: dict[str, str]) -> None:
            if self.session is not session:
                return
            self._note_left("handoff")
            self.session = None  # the answers are at the hub now; the kiosk forgets them
            try:
                until = dt.datetime.fromisoformat(made["expires_at"]).replace(tzinfo=dt.UTC).astimezone()
                valid = f"{until:%A} {until.day} {until:%B} at {until:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")
            except ValueError:
                valid = "72 hours from now"
            page = HandoffPage(made["url"], made["code"], made["typed_address"], valid, can_send=True)
            page.done.connect(lambda: self.end_session("handoff"))
            page.send_requested.connect(lambda to: self._send_link(page, made, to))
            self._show(page, "question")

        def failed(exc: Exception) -> None:
            if self.session is not session:
                return
            page = MessagePage("fault", tr("Sorry, we cannot send this to your phone right now"), [
                tr("The connection to the council's system is not working. Your answers are still here."),
                tr("You can carry on at this kiosk instead."),
            ], [("back", tr("Carry on here"), "primary"), ("start", tr("Start again"), "secondary")])
            page.action.connect(lambda key: self.show_step() if key == "back" else self.end_session("start_again"))
            self._show(page, "question")

        self._hub_call(self.services.client.create_handoff(state), done, failed)

    def _send_link(self, page: HandoffPage, made: dict[str, str], to: str) -> None:
        if not to.strip():
            page.say(tr("Enter your email address or mobile number"), error=True)
            return
        page.say("Sending…")
        token = made["url"].rsplit("/", 1)[1]

        def done(by: str) -> None:
            if self.window.page is page:
                page.say(tr("Sent. Check your email.") if by == "email" else tr("Sent. Check your text messages."))

        def failed(exc: Exception) -> None:
            if self.window.page is not page:
                return
            if isinstance(exc, HubRejected) and exc.status in (404, 410, 422, 501):
                page.say(exc.detail, error=True)
            else:
                page.say(tr("We cannot send it right now. Scan the code, or write down the address and code."),
                         error=True)

        self._hub_call(self.services.client.send_link(made["id"], to, token, made["code"]), done, failed)

    def ask_why(self) -> None:
        """After a finished task: the one optional insight question, once per session."""
        if self._why_asked:
            self.end_session("finish")
            return
        self._why_asked = True
        self._confirmation = None
        page = WhyPage(WHY_REASONS)
        page.action.connect(self._on_why)
        self._show(page, "question")

    def _on_why(self, key: str) -> None:
        if key.startswith("why_"):
            self.events.why_answered(key.removeprefix("why_"))
        self.end_session("finish")

    # ---- accessibility ------------------------------------------------------------
    def show_accessibility(self) -> None:
        d = self.display
        overlay = self._ask(tr("Text size and colours"), [
            tr("Choose what is easiest to read. It changes at once, and goes back to normal when you finish."),
        ], [
            ("size_standard", tr("Standard text"), "secondary"),
            ("size_large", tr("Large text"), "secondary"),
            ("size_largest", tr("Largest text"), "secondary"),
            ("contrast_standard", tr("Standard colours"), "secondary"),
            ("contrast_high", tr("High contrast: light text on dark"), "secondary"),
            ("speech_on", tr("Read the screen aloud"), "secondary"),
            ("speech_off", tr("Speech off"), "secondary"),
            ("rate_slower", tr("Speak slower"), "secondary"),
            ("rate_normal", tr("Speak at normal speed"), "secondary"),
            ("language", tr("Language: {language}", language=self.catalog.language.name), "secondary"),
            ("close", tr("Done"), "primary"),
        ])
        n = self.narrator
        for key, b in overlay.buttons.items():
            on = key in (f"size_{d.text_size}", f"contrast_{d.contrast}", f"rate_{n.rate}",
                         "speech_on" if n.enabled else "speech_off")
            b.setProperty("chosen", "true" if on else "false")
            b.setAccessibleDescription(tr("Chosen") if on else "")
        overlay.action.connect(self._on_accessibility_choice)

    def _on_accessibility_choice(self, key: str) -> None:
        if key.startswith("size_"):
            self.display.set(text_size=key.removeprefix("size_"))
        elif key.startswith("contrast_"):
            self.display.set(contrast_name=key.removeprefix("contrast_"))
        elif key in ("speech_on", "speech_off"):
            self.narrator.set_enabled(key == "speech_on")
            self.window.repeat_button.setVisible(key == "speech_on")
            self.window.fit_top_bar()
        elif key.startswith("rate_"):
            self.narrator.set_rate(key.removeprefix("rate_"))
        elif key == "language":
            self.show_languages()
            return
        else:
            self.window.close_overlay()
            return
        if self.idle.active and not self.idle.warning:
            self.idle.extend()  # new limit, with the factor for the new size
        self.show_accessibility()  # shows which choices are on now

    # ---- languages ------------------------------------------------------------------
    def show_languages(self) -> None:
        """Every language by its own name (and in English), the current one marked."""
        actions = [(f"lang_{code}", c.language.name if code == "en" else
                    f"{c.language.name} ({c.language.english_name})", "secondary")
                   for code, c in self.catalogs.items()]
        overlay = self._ask(tr("Choose your language"), [
            tr("The screen changes at once. Staff can still help in English."),
        ], [*actions, ("close", tr("Close"), "primary")])
        for key, b in overlay.buttons.items():
            on = key == f"lang_{self.catalog.code}"
            b.setProperty("chosen", "true" if on else "false")
            b.setAccessibleDescription(tr("Chosen") if on else "")
        overlay.action.connect(self._on_language_choice)

    def _on_language_choice(self, key: str) -> None:
        self.window.close_overlay()
        if key.startswith("lang_"):
            self.set_language(key.removeprefix("lang_"))
            if self.narrator.enabled and not self.narrator.voice_found:
                # In English on purpose: with no voice for the language, the standard voice is English.
                self.narrator.say(f"There is no {self.catalog.language.english_name} voice on this kiosk, so the "
                                  f"screen is read with the standard English voice. {self.narrator.last}",
                                  remember=False)

    def set_language(self, code: str, redraw: bool = True) -> None:
        """The whole screen in another language, now: texts, direction, voice and keyboard."""
        catalog = self.catalogs.get(code)
        if catalog is None or (catalog is self.catalog and self._translator is not None):
            return
        self.catalog = catalog
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        if self._translator is not None:
            app.removeTranslator(self._translator)
        self._translator = CatalogTranslator(catalog)
        app.installTranslator(self._translator)
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if catalog.rtl else Qt.LayoutDirection.LeftToRight)
        self.display.set_direction(catalog.rtl)
        self.narrator.set_language(catalog.language.voice)
        self.window.keyboard.set_language(catalog.language.keyboard)
        self.window.retranslate()
        if self.session is not None:
            self.session.set_catalog(catalog)
        log.info("language chosen", extra={"language": code})
        if redraw:
            self._redraw()

    def _redraw(self) -> None:
        """Show the current page again in the new language (answers and place kept)."""
        page = self.window.page
        name = page.objectName() if page is not None else ""
        if name in ("attract_page", "closed_page"):
            self.show_attract()
        elif name == "home_page":
            self.show_home()
        elif self.session is not None and self.practice is None and (
                name.startswith("step_") or name in ("check_answers", "result")):
            self.show_step()

    def _ask(self, heading: str, paragraphs: list[str], actions: list[tuple[str, str, str]]) -> Overlay:
        """An overlay, read aloud when speech is on, and announced to a screen reader."""
        overlay = self.window.show_overlay(heading, paragraphs, actions)
        announce(overlay, " ".join([heading, *paragraphs]), assertive=True)
        self.narrator.read(overlay)
        return overlay

    def _on_keypad_help(self) -> None:
        """The Help key: speech comes on if it was off, then the page and how to move around."""
        if not self.narrator.enabled:
            self.narrator.set_enabled(True)
            self.window.repeat_button.show()
            self.window.fit_top_bar()
        target = self.window.overlay or self.window.page
        self.narrator.say(f"{page_text(target) if target is not None else ''} {tr(HELP_TEXT)}".strip())

    @staticmethod
    def _reference_on(page: ConfirmationPage) -> str:
        found = page.findChild(QLabel, "reference")
        return found.text().replace("\u200b", "") if found is not None else ""

    def _on_privacy(self) -> None:
        overlay = self._ask(tr("How we use information"), [
            tr("When you send a report or an application, your answers go to the council to deal with it. "
               "They are sent encrypted and deleted from this kiosk once the council has them."),
            tr("The kiosk also counts, without your name or your answers, which tasks are used, where people "
               "stop, which questions cause problems, which settings and languages are chosen, and the answer "
               "to the optional question about why you came in. Small numbers are never shown, so nobody "
               "can be picked out."),
            tr("When you finish or walk away, everything you entered is cleared from the screen."),
        ], [("close", tr("Close"), "primary")])
        overlay.action.connect(lambda _k: self.window.close_overlay())

    def _on_get_help(self) -> None:
        session = self.session
        self.events.help_requested(session.journey.id if session else None, session.current.id if session else None)
        b = self.settings.branding
        overlay = self._ask(tr("Asking for help…"), [tr("Please wait a moment.")],
                                           [("close", tr("Close this message"), "primary")])
        overlay.action.connect(lambda _k: self.window.close_overlay())

        def asked(minutes: int) -> None:
            if self.window.overlay is overlay:
                overlay.set_heading(tr("A member of staff has been asked to come to this screen"))
                overlay.set_text(0, trn("Someone usually comes within {count} minute. Your answers stay here "
                                        "while you wait. If nobody comes, {directions}",
                                        "Someone usually comes within {count} minutes. Your answers stay here "
                                        "while you wait. If nobody comes, {directions}", minutes,
                                        directions=b.counter_directions[0].lower() + b.counter_directions[1:]))

        def failed(_exc: Exception) -> None:
            if self.window.overlay is overlay:
                overlay.set_heading(tr("We could not call a member of staff"))
                overlay.set_text(0, tr("The connection is not working. {directions} Your answers stay on this "
                                       "screen.", directions=b.counter_directions))

        self._hub_call(self.services.client.ask_help(session.journey.id if session else "",
                                                     session.current.id if session else ""), asked, failed)

    # ---- officer assist -----------------------------------------------------------
    def sync_staff_pins(self) -> None:
        """Keep the staff PIN hashes current, for when the hub cannot be reached."""
        self._hub_call(self.services.client.staff_pins(), self.staff_pins.save, lambda _exc: None)

    def _audit(self, action: str, step: str = "", staff: tuple[int, str] | None = None) -> None:
        staff_id, name = staff or ((self.officer.staff_id, self.officer.name) if self.officer else (0, "unknown"))
        entry_id = uuid.uuid4().hex
        entry = {"id": entry_id, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                 "staff_id": staff_id, "staff_name": name, "action": action, "step": step}
        try:
            self.services.outbox.put("audit", entry_id, entry)
        except Exception:
            log.exception("could not queue an audit entry")
        self.services.worker.wake()

    def _on_staff(self) -> None:
        self.idle.pause()
        pad = self.window.show_pinpad("Staff: enter the code from the officer page, or your staff PIN")
        pad.submitted.connect(self._on_staff_code)
        pad.cancelled.connect(self._close_pinpad)
        locked = self.staff_lock.before_try()
        if locked is not None:
            self._show_lock(pad, locked.locked_for)

    def _on_staff_code(self, digits: str) -> None:
        pad = self.window.overlay
        if not isinstance(pad, PinPad):
            return
        locked = self.staff_lock.before_try()
        if locked is not None:
            self._show_lock(pad, locked.locked_for)
            return
        pad.say("Checking…")

        def joined(found: tuple[int, str]) -> None:
            self.staff_lock.succeeded()
            self._join(found[0], found[1], offline=False)

        def refused(exc: Exception) -> None:
            if self.window.overlay is not pad:
                return
            if isinstance(exc, (HubUnavailable, TimeoutError)):
                offline = self.staff_pins.check(digits)
                if offline is not None:
                    self.staff_lock.succeeded()
                    self._join(offline[0], offline[1], offline=True)
                    self._audit("joined", staff=offline)
                    return
            result = self.staff_lock.failed()
            self._audit("code_refused")
            if result.locked_for:
                self._show_lock(pad, result.locked_for)
            elif isinstance(exc, HubRejected) and exc.status == 410:
                pad.say(f"{exc.detail} {result.tries_left} tr{'ies' if result.tries_left != 1 else 'y'} left.")
            else:
                pad.say(f"That code or PIN is not right. {result.tries_left} "
                        f"tr{'ies' if result.tries_left != 1 else 'y'} left.")

        if len(digits) == 6:
            self._hub_call(self.services.client.join(digits), joined, refused)
        else:  # a personal PIN: only for when the hub cannot be reached
            self._hub_call(self.services.client.health(), lambda _ok: refused(HubRejected(404, "not a code")),
                           refused)

    def _join(self, staff_id: int, name: str, offline: bool) -> None:
        self.window.close_overlay()
        self.idle.resume()  # the pad paused it; the panel sets its own limit
        staff = (staff_id, name)
        if self.taster.active:
            self.taster.staff_menu(staff)
            return
        if self.session is None and self.taster.lessons:
            overlay = self._ask(f"Staff: {name}", ["What do you want to do on this terminal?"], [
                ("taster", "Open an ICT taster session", "primary"),
                ("assist", "Help a resident on this screen", "secondary"),
                ("close", "Cancel", "secondary"),
            ])

            def chosen(key: str) -> None:
                self.window.close_overlay()
                if key == "taster":
                    self.taster.show_setup(staff)
                elif key == "assist":
                    self._assist(staff_id, name, offline)

            overlay.action.connect(chosen)
            return
        self._assist(staff_id, name, offline)

    def _assist(self, staff_id: int, name: str, offline: bool) -> None:
        self.officer = Officer(staff_id, name, offline)
        self.window.banner.show_for(name)
        self._refresh_panel(force=True)
        log.info("officer joined", extra={"staff_id": staff_id, "offline": offline})

    def _refresh_panel(self, force: bool = False) -> None:
        officer = self.officer
        panel = self.window.assist
        if officer is None or not (force or panel.isVisible()):
            return
        session = self.session
        panel.show_state(
            officer.name, session.journey.title if session else "", session.current.id if session else "",
            session.summary() if session else [], set(session.answers) if session else set(), self._revealed,
            officer.timer_paused, officer.assisted,
            session is not None and session.journey.submit is not None,
        )
        # While an officer has the screen the resident is not timed out; but an officer who walks
        # away without handing back must not leave the answers up: a long limit still wipes.
        self.idle.arm(OFFICER_IDLE_MS)

    def _officer_go_to(self, step_id: str) -> None:
        if self.session is not None and step_id in self.session.journey.step_ids:
            self._audit("went_to_step", step_id)
            self.session.change(step_id)
            self.show_step()

    def _officer_reveal(self) -> None:
        self._revealed = True
        self._audit("revealed_answer")
        self._refresh_panel()

    def _officer_pause(self, paused: bool) -> None:
        if self.officer is not None:
            self.officer.timer_paused = paused
            self._audit("paused_timer" if paused else "resumed_timer")

    def _officer_assisted(self, assisted: bool) -> None:
        if self.officer is not None:
            self.officer.assisted = assisted
            self._audit("marked_assisted" if assisted else "unmarked_assisted")

    def _officer_handoff(self) -> None:
        self._audit("started_handoff")
        self.start_handoff()

    def _officer_end(self) -> None:
        overlay = self._ask("End this session?", [
            "Everything the resident entered will be deleted, and the kiosk goes back to the start."],
            [("confirm", "Yes, end the session", "primary"), ("cancel", "No, go back", "secondary")])

        def answer(key: str) -> None:
            if key == "confirm":
                self._audit("ended_session")
                self.end_session("officer_end")
            else:
                self.window.close_overlay()

        overlay.action.connect(answer)

    def _officer_hand_back(self) -> None:
        officer = self.officer
        if officer is None:
            return
        self._audit("handed_back")
        self.window.assist.hide()
        self.window.banner.hide()
        if not officer.timer_paused:
            page = self.window.page
            kind = "confirmation" if self._confirmation is not None else "question"
            if page is not None and page.objectName() not in ("attract_page", "closed_page"):
                self.idle.arm(round((self.confirmation_ms if kind == "confirmation" else self.question_ms)
                                    * self.time_factor()))
        b = self.settings.branding
        paragraphs = [b.counter_directions, tr("Staff can come to this screen and help you finish. "
                                               "Your answers stay on the screen while you wait.")]
        if b.contact_phone:
            paragraphs.append(tr("You can also phone {phone}.", phone=b.contact_phone))
        overlay = self._ask(tr("A member of staff can help you"), paragraphs,
                                           [("close", tr("Close this message"), "primary")])
        overlay.action.connect(lambda _k: self.window.close_overlay())
