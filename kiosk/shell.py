"""The small public interface every flow talks to: show a page, ask a question, call the hub,
run slow work off the Qt thread, audit what staff do, and be told of the wipe.

A flow holds one ``Shell``; it never holds another flow. When one flow needs another (the
idle warning offers "Finish on my phone"; a finished look-up asks why the resident came in),
it goes through ``shell.nav``, the ``Navigation`` the controller provides. Shared facts about
the resident's session live in ``shell.resident`` and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from accessibility.announce import announce, announce_page
from accessibility.display import DisplaySettings
from accessibility.speech import Narrator
from kiosk.config import KioskSettings
from kiosk.events import EventLog
from kiosk.hub_client import HubClient, HubUnavailable
from kiosk.hub_status import HubStatus
from kiosk.idle import IdleTimer
from kiosk.outbox import Outbox
from kiosk.outbox_worker import OutboxWorker
from kiosk.places import Place
from kiosk.staff_access import Officer
from kiosk.tasks import TaskRunner
from kiosk.views.window import KioskWindow, Overlay
from kiosk.workflows.engine import JourneySession
from kiosk.workflows.i18n import Catalog, english
from kiosk.workflows.lessons import Lesson
from kiosk.workflows.model import Journey

log = logging.getLogger("kiosk.shell")
T = TypeVar("T")


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


@dataclass
class PracticeRun:
    """A taster learner's practice run of a real journey: its ends lead back to the lesson."""

    done: Callable[[], None]
    leave: Callable[[], None]


@dataclass
class Resident:
    """What every flow may know of the session in progress. The wipe empties it."""

    #: The journey in progress and every answer given (None once sent, handed off or wiped).
    journey: JourneySession | None = None
    #: The journey has reached its end (a result shown), so leaving it is not giving up.
    journey_done: bool = False
    #: The reference on the confirmation showing now, if any.
    confirmation: str | None = None
    #: An officer has joined the session.
    officer: Officer | None = None
    #: A taster learner's practice run (nothing is sent).
    practice: PracticeRun | None = None


class Navigation(Protocol):
    """What one flow may ask of another."""

    def show_attract(self) -> None: ...
    def show_home(self) -> None: ...
    def end_session(self, reason: str = "finish") -> None: ...
    def show_step(self) -> None: ...
    def start_handoff(self) -> None: ...
    def ask_why(self) -> None: ...
    def show_accessibility(self) -> None: ...
    def show_languages(self) -> None: ...
    def set_language(self, code: str, redraw: bool = True) -> None: ...
    def refresh_assist(self) -> None: ...
    def practice_error(self) -> None: ...


#: After a tap: its page is drawn well within this, and a resident reads it for far longer.
EVENTS_AFTER_MS = 100


class Shell(QObject):
    def __init__(self, app: QApplication, window: KioskWindow, services: Services, display: DisplaySettings,
                 narrator: Narrator) -> None:
        super().__init__()
        self.app = app
        self.window = window
        self.services = services
        self.display = display
        self.narrator = narrator
        self.resident = Resident()
        # Usage events are written once the tap that made them has been drawn (kiosk/events.py).
        self._write_events = QTimer(self)
        self._write_events.setSingleShot(True)
        self._write_events.setInterval(EVENTS_AFTER_MS)
        self.events = services.events or EventLog(services.outbox, soon=self._write_events.start)
        self._write_events.timeout.connect(self.events.flush)
        self.tasks = TaskRunner()
        t = services.settings.timeouts
        self.idle = IdleTimer(app, t.warning_seconds * 1000)
        #: Idle limits before the warning (tests shorten them).
        self.question_ms = t.question_seconds * 1000
        self.confirmation_ms = t.confirmation_seconds * 1000
        #: Set while a taster session runs: its pages have one long limit of their own.
        self.long_idle_ms: int | None = None
        self.catalogs = services.catalogs
        self.catalog = self.catalogs.get("en") or english()
        self.journeys = {j.id: j for j in services.journeys}
        self._busy = False
        self._wipers: list[Callable[[str], None]] = []
        self.nav: Navigation | None = None

    @property
    def settings(self) -> KioskSettings:
        return self.services.settings

    @property
    def hub_status(self) -> HubStatus:
        return self.services.worker.status

    def go(self) -> Navigation:
        assert self.nav is not None, "the controller sets the navigation before any page shows"
        return self.nav

    # ---- pages and overlays ---------------------------------------------------------
    def time_factor(self) -> float:
        """Longer timeouts with large text or speech (WCAG 2.2.1: people who need it get more time)."""
        return 2.0 if self.display.text_size != "standard" or self.narrator.enabled else 1.0

    def show(self, page: QWidget, idle: str, top_bar: bool = True) -> None:
        """Put a page up and set the idle timer for it: question, confirmation, busy or none."""
        self.window.show_page(page, top_bar=top_bar)
        announce_page(page)
        self.go().refresh_assist()
        bar = self.window.action_slot
        self.narrator.read(page, *([bar] if bar.isVisibleTo(self.window) else []))
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
        elif self.long_idle_ms is not None:
            self.idle.arm(self.long_idle_ms)
        else:
            self.arm_idle(idle)

    def arm_idle(self, kind: str) -> None:
        base = self.confirmation_ms if kind == "confirmation" else self.question_ms
        self.idle.arm(round(base * self.time_factor()))

    def ask(self, heading: str, paragraphs: list[str], actions: list[tuple[str, str, str]],
            groups: list[tuple[str, list[tuple[str, str, str]]]] | None = None) -> Overlay:
        """An overlay, read aloud when speech is on, and announced to a screen reader."""
        overlay = self.window.show_overlay(heading, paragraphs, actions, groups)
        announce(overlay, " ".join([heading, *paragraphs]), assertive=True)
        self.narrator.read(overlay)
        return overlay

    def tell(self, heading: str, paragraphs: list[str], close: str) -> Overlay:
        """A message with one button that closes it."""
        overlay = self.ask(heading, paragraphs, [("close", close, "primary")])
        overlay.action.connect(self.close_overlay)
        return overlay

    def close_overlay(self, *_args: object) -> None:
        self.window.close_overlay()

    def page_name(self) -> str:
        page = self.window.page
        return page.objectName() if page is not None else ""

    # ---- slow work ----------------------------------------------------------------------
    def hub_call(self, work: Awaitable[T], done: Callable[[T], None], failed: Callable[[Exception], None]) -> None:
        """A hub call through the task runner, noting whether the hub answered."""

        def on_done(result: T) -> None:
            self.hub_status.ok()
            done(result)

        def on_failed(exc: Exception) -> None:
            if isinstance(exc, (HubUnavailable, TimeoutError)):
                self.hub_status.failed()
            failed(exc)

        self.tasks.run(work, on_done, on_failed)

    def off_thread(self, work: Callable[[], T], done: Callable[[T], None],
                   failed: Callable[[Exception], None] | None = None) -> None:
        """Blocking work (argon2, files) on a worker thread; the callbacks run on the Qt thread."""
        self.tasks.run_blocking(work, done, failed or (lambda exc: log.warning(
            "background work failed", extra={"error": type(exc).__name__})))

    # ---- staff actions and the wipe ------------------------------------------------
    def audit(self, action: str, step: str = "", staff: tuple[int, str] | None = None) -> None:
        officer = self.resident.officer
        staff_id, name = staff or ((officer.staff_id, officer.name) if officer else (0, "unknown"))
        entry_id = uuid.uuid4().hex
        entry = {"id": entry_id, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                 "staff_id": staff_id, "staff_name": name, "action": action, "step": step}
        try:
            self.services.outbox.put("audit", entry_id, entry)
        except Exception:
            log.exception("could not queue an audit entry")
        self.services.worker.wake()

    def when_wiped(self, reset: Callable[[str], None]) -> None:
        """Run ``reset(reason)`` in every wipe, after the answers and screen are cleared."""
        self._wipers.append(reset)

    def run_wipers(self, reason: str) -> None:
        for reset in self._wipers:
            reset(reason)

    def stop_busy(self) -> None:
        self._busy = False

    def note_left(self, reason: str) -> None:
        """A journey ends without being finished: record where, and why, for insight."""
        resident = self.resident
        if resident.journey is not None and not resident.journey_done:
            self.events.journey_left(resident.journey.journey.id, resident.journey.current.id, reason)
        resident.journey_done = False
