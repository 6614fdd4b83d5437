"""Library ICT taster sessions on a terminal: staff open one (or a booking at the hub opens it),
a learner works through lessons with practice tasks and hints, the time left is always shown
with warnings at 10, 5 and 1 minutes, and at the end the one wipe runs and the terminal goes
back to its attract screen. Joins the lesson pages to the Qt-free lesson logic."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

from kiosk.app_events import stop_timers
from kiosk.hub_client import HubRejected
from kiosk.shell import PracticeRun, Shell
from kiosk.views.lessons import CertificatePage, LessonDonePage, LessonListPage, LessonStepPage, TasterSetupPage
from kiosk.views.pages import busy_page
from kiosk.workflows import messages as m
from kiosk.workflows.engine import JourneySession
from kiosk.workflows.lessons import ChoicePractice, Lesson, ScrollPractice, TypePractice
from kiosk.workflows.taster import (
    LessonRun,
    TasterClock,
    TasterFormError,
    TasterPlan,
    check_first_name,
    minutes_text,
    new_session_id,
    plan_from_form,
    typed_ok,
)
from kiosk.workflows.validators import FieldError

log = logging.getLogger("kiosk.taster")

#: Staff at the terminal add this much at a time.
EXTEND_MINUTES = 15
#: Idle limit on lesson pages: learners are slow, but one who walks away must not leave things up.
TASTER_IDLE_MS = 10 * 60_000


@dataclass
class RunningTaster:
    id: str
    plan: TasterPlan
    clock: TasterClock
    opened_by: int
    started_at: dt.datetime
    runs: dict[str, LessonRun] = field(default_factory=dict)
    started: list[str] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)
    current: LessonRun | None = None
    seq: int = 0
    #: Minutes staff added at the hub that are already applied here.
    hub_extra: int = 0
    certificate_url: str = ""


class TasterFlow(QObject):
    def __init__(self, shell: Shell, lessons: list[Lesson], illustrations: Path,
                 poll_seconds: float = 30.0) -> None:
        super().__init__()
        self.shell = shell
        self.lessons = {lesson.id: lesson for lesson in lessons}
        self.illustrations = illustrations
        self.running: RunningTaster | None = None
        #: Monotonic seconds (tests replace it to move time on without waiting).
        self.clock: Callable[[], float] = time.monotonic
        #: Bookings this terminal has opened, so a slow report does not open one twice.
        self.opened_bookings: set[int] = set()
        self._tick = QTimer(shell.window)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.tick)
        self._poll = QTimer(shell.window)
        self._poll.timeout.connect(self.poll)
        if lessons:
            self._poll.start(round(poll_seconds * 1000))
        shell.when_wiped(self._drop)
        shell.window.taster_banner.lessons.connect(self.show_list)

    @property
    def active(self) -> bool:
        return self.running is not None

    @property
    def available(self) -> bool:
        """This terminal has lessons, so staff can open a taster session on it."""
        return bool(self.lessons)

    def close(self) -> None:
        stop_timers(self._tick, self._poll)

    # ---- opening ----------------------------------------------------------------------
    def show_setup(self, staff: tuple[int, str], chosen: list[str] | None = None, minutes: str = "60",
                   group: str = "", errors: list[FieldError] | None = None) -> None:
        page = TasterSetupPage(list(self.lessons.values()), chosen, minutes, group, errors)
        page.submitted.connect(lambda c, m, g: self._on_setup(staff, c, m, g))
        page.cancelled.connect(lambda: self.shell.go().end_session("maintenance"))
        self.shell.show(page, "question")

    def _on_setup(self, staff: tuple[int, str], chosen: list[str], minutes: str, group: str) -> None:
        try:
            plan = plan_from_form(chosen, minutes, group, list(self.lessons))
        except TasterFormError as exc:
            self.show_setup(staff, chosen, minutes, group, exc.errors)
            return
        self.start(plan, staff)

    def start(self, plan: TasterPlan, staff: tuple[int, str] = (0, "booking"), seconds: float | None = None) -> None:
        """Open a session: the resident screens give way to the lessons until the time is up."""
        shell = self.shell
        shell.tasks.cancel_all()
        shell.note_left("maintenance")
        shell.events.session_ended()
        shell.resident.journey = None
        shell.resident.officer = None
        shell.window.assist.hide()
        shell.window.banner.hide()
        shell.go().set_language("en", redraw=False)  # the lessons are written in English (docs/languages.md)
        self.running = RunningTaster(new_session_id(), plan, TasterClock(seconds or plan.minutes * 60, self.clock),
                                     staff[0], dt.datetime.now(dt.UTC))
        if plan.booking_id is not None:
            self.opened_bookings.add(plan.booking_id)
        shell.long_idle_ms = TASTER_IDLE_MS
        shell.window.taster_banner.show_session(plan.group)
        shell.window.start_again_button.hide()
        shell.window.fit_top_bar()
        if staff[0]:
            shell.audit("opened_taster", staff=staff)
        log.info("taster session opened", extra={"minutes": plan.minutes, "lessons": len(plan.lessons),
                                                 "booking": plan.booking_id})
        self._report()
        self.tick()
        self._tick.start()
        self.show_list()

    # ---- the clock ----------------------------------------------------------------------
    def tick(self) -> None:
        running = self.running
        if running is None:
            return
        left = running.clock.remaining()
        self.shell.window.taster_banner.set_left(f"{minutes_text(left)} left")
        if running.clock.over:
            self.end("time_up")
            return
        warning = running.clock.due_warning()
        if warning is not None:
            self.warn(warning)

    def warn(self, minutes: int) -> None:
        running = self.running
        assert running is not None
        unit = "minute" if minutes == 1 else "minutes"
        actions = [("carry_on", "Carry on", "primary")]
        if running.completed:
            actions.append(("certificate", "Get my certificate now", "secondary"))
        overlay = self.shell.ask(f"{minutes} {unit} left", [
            f"This taster session ends in {minutes} {unit}. When it ends, everything you typed is deleted and the "
            "screen goes back to the start.",
            *(["Get your certificate now if you want one."] if running.completed and minutes <= 5 else []),
        ], actions)
        overlay.setObjectName(f"taster_warning_{minutes}")
        overlay.action.connect(self._on_warning_answer)

    def _on_warning_answer(self, key: str) -> None:
        self.shell.window.close_overlay()
        if key == "certificate":
            self.show_certificate()

    def extend(self, minutes: int, staff: tuple[int, str] | None = None) -> None:
        running = self.running
        if running is None:
            return
        running.clock.extend(minutes)
        if staff is not None:
            self.shell.audit("extended_taster", staff=staff)
        self._report()
        self.tick()

    def end(self, reason: str) -> None:
        """The end of the session, however it comes: report it, then the one wipe."""
        if self.running is None:
            return
        log.info("taster session ended", extra={"reason": reason})
        self.shell.go().end_session("taster_end")  # the wipe reports the end (see _drop)

    def _drop(self, _reason: str) -> None:
        """Part of the wipe: the session and everything the learner did go."""
        if self.running is not None:
            self._report(ended=True)
        self.running = None
        self.shell.resident.practice = None
        self.shell.long_idle_ms = None
        self._tick.stop()
        window = self.shell.window
        window.taster_banner.hide()
        window.start_again_button.show()
        window.fit_top_bar()

    def _report(self, ended: bool = False) -> None:
        """What the hub shows library staff: lesson ids, counts and times; never the learner's typing."""
        running = self.running
        if running is None:
            return
        running.seq += 1
        ends = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=running.clock.remaining())
        report_id = f"{running.id}-{running.seq}"
        report = {
            "id": report_id, "run": running.id, "seq": running.seq,
            "booking_id": running.plan.booking_id, "group": running.plan.group,
            "lessons": list(running.plan.lessons), "started": running.started, "completed": running.completed,
            "opened_by": running.opened_by, "started_at": running.started_at.isoformat(timespec="seconds"),
            "ends_at": ends.isoformat(timespec="seconds"), "ended": ended,
            # Minutes staff added at the hub that ends_at already includes.
            "hub_extra": running.hub_extra,
        }
        try:
            self.shell.services.outbox.put("taster", report_id, report, durable=False)
        except Exception:
            log.exception("could not queue a taster report")
        self.shell.services.worker.wake()

    # ---- staff at the terminal ------------------------------------------------------------
    def staff_menu(self, staff: tuple[int, str]) -> None:
        running = self.running
        assert running is not None
        left = minutes_text(running.clock.remaining())
        overlay = self.shell.ask("Staff: this taster session", [f"{left} left."], [
            ("extend", f"Add {EXTEND_MINUTES} minutes", "primary"),
            ("end", "End the session now", "secondary"),
            ("close", "Back to the lesson", "secondary"),
        ])

        def answer(key: str) -> None:
            self.shell.window.close_overlay()
            if key == "extend":
                self.extend(EXTEND_MINUTES, staff)
            elif key == "end":
                self.shell.audit("ended_taster", staff=staff)
                self.end("staff")

        overlay.action.connect(answer)

    # ---- the hub: bookings and staff requests -----------------------------------------------
    def poll(self) -> None:
        self.shell.hub_call(self.shell.services.client.taster_state(), self.apply, lambda _exc: None)

    def apply(self, state: m.TasterState) -> None:
        running = self.running
        if running is not None:
            for run in state.runs:
                if run.id != running.id:
                    continue
                if run.end:
                    self.end("hub")
                    return
                if run.extra_minutes > running.hub_extra:
                    added = run.extra_minutes - running.hub_extra
                    running.hub_extra = run.extra_minutes
                    self.extend(added)
            return
        for booking in state.bookings:
            if booking.id in self.opened_bookings or not self._free():
                continue
            lessons = tuple(i for i in booking.lessons if i in self.lessons)
            if not lessons or booking.ends_in_seconds <= 60:
                continue
            plan = TasterPlan(lessons, round(booking.ends_in_seconds / 60), booking.group, booking.id)
            self.start(plan, seconds=booking.ends_in_seconds)
            return

    def _free(self) -> bool:
        """A booking waits for a resident to finish: it opens only on the attract (or closed) screen,
        where the kiosk goes when nobody is using it."""
        shell = self.shell
        return (shell.resident.journey is None and shell.window.overlay is None and shell.resident.officer is None
                and shell.page_name() in ("attract_page", "closed_page"))

    # ---- lessons ----------------------------------------------------------------------------
    def _status(self, lesson_id: str) -> str:
        running = self.running
        assert running is not None
        if lesson_id in running.completed:
            return "Done ✓"
        return "Started" if lesson_id in running.started else "Not started yet"

    def show_list(self) -> None:
        running = self.running
        if running is None:
            return
        self.shell.resident.practice = None
        running.current = None
        lessons = [(self.lessons[i], self._status(i)) for i in running.plan.lessons]
        page = LessonListPage(lessons, bool(running.completed))
        page.chosen.connect(self.open_lesson)
        page.certificate.connect(self.show_certificate)
        self._show(page)

    def open_lesson(self, lesson_id: str) -> None:
        running = self.running
        if running is None:
            return
        run = LessonRun(self.lessons[lesson_id])
        running.runs[lesson_id] = run
        running.current = run
        if lesson_id not in running.started:
            running.started.append(lesson_id)
            self._report()
        self.show_step()

    def show_step(self, done: bool = False) -> None:
        running = self.running
        if running is None or running.current is None:
            return
        run = running.current
        if run.finished:
            self._lesson_done(run)
            return
        page = LessonStepPage(run.lesson, run.step, run.progress, self.illustrations,
                              done=done or run.step.id in run.practised)
        page.back.connect(self._back)
        page.next.connect(self._next)
        page.skip.connect(self._next)
        page.tapped.connect(lambda: self._right(page, "Well done. That was a tap."))
        page.missed.connect(lambda: self._wrong(page))
        page.picked.connect(lambda item: self._picked(page, item))
        page.typed.connect(lambda text: self._typed(page, text))
        page.choice.connect(lambda n: self._chose(page, n))
        page.start_practice.connect(self._start_journey)
        self._show(page)

    def _right(self, page: LessonStepPage, text: str) -> None:
        run = self._run()
        if run is None:
            return
        run.practice_done()
        page.say(text)
        page.set_done(True)
        self.shell.narrator.say(text)

    def _wrong(self, page: LessonStepPage, feedback: str = "") -> None:
        run = self._run()
        if run is None or run.step.id in run.practised:
            return
        hint = run.failed_try()
        page.say(feedback or "Not quite. Try again.")
        page.show_hint(hint)
        self.shell.narrator.say(f"{feedback or 'Not quite. Try again.'} Hint: {hint}")

    def _picked(self, page: LessonStepPage, item: str) -> None:
        run = self._run()
        if run is None or not isinstance(run.step.practice, ScrollPractice):
            return
        if item == run.step.practice.target:
            self._right(page, f"Well done. You found the {item}.")
        else:
            self._wrong(page, f"That is the {item}.")

    def _typed(self, page: LessonStepPage, text: str) -> None:
        run = self._run()
        if run is None or not isinstance(run.step.practice, TypePractice):
            return
        if typed_ok(run.step.practice, text):
            self._right(page, "Well done. That is right.")
            self.shell.window.keyboard.detach()
        else:
            self._wrong(page, "That is not quite right yet." if text.strip() else "The box is empty.")

    def _chose(self, page: LessonStepPage, index: int) -> None:
        run = self._run()
        if run is None or not isinstance(run.step.practice, ChoicePractice):
            return
        option = run.step.practice.options[index]
        if option.correct:
            self._right(page, option.feedback)
        else:
            self._wrong(page, option.feedback)

    def _run(self) -> LessonRun | None:
        return self.running.current if self.running is not None else None

    def _next(self) -> None:
        run = self._run()
        if run is None:
            return
        run.next()
        self.show_step()

    def _back(self) -> None:
        run = self._run()
        if run is None or not run.back():
            self.show_list()
            return
        self.show_step()

    def _lesson_done(self, run: LessonRun) -> None:
        running = self.running
        assert running is not None
        lesson_id = run.lesson.id
        if run.completed and lesson_id not in running.completed:
            running.completed.append(lesson_id)
            self._report()
        remaining = [i for i in running.plan.lessons if i not in running.completed and i != lesson_id]
        page = LessonDonePage(run.lesson, run.completed, bool(remaining))
        page.action.connect(lambda key: self.open_lesson(remaining[0]) if key == "next" and remaining
                            else self.show_certificate() if key == "certificate" else self.show_list())
        self._show(page)

    # ---- practice runs of real journeys ---------------------------------------------------
    def _start_journey(self, journey_id: str) -> None:
        shell = self.shell
        journey = shell.journeys.get(journey_id)
        run = self._run()
        if journey is None or run is None:
            return
        step_id = run.step.id

        def done() -> None:
            shell.resident.practice = None
            shell.resident.journey = None
            if self._run() is run and run.step.id == step_id:
                run.practice_done()
                self.show_step(done=True)
                page = shell.window.page
                if isinstance(page, LessonStepPage):
                    page.say("Well done: you finished the practice. Nothing was sent.")

        def leave() -> None:
            shell.resident.practice = None
            shell.resident.journey = None
            self.show_step()

        shell.resident.practice = PracticeRun(done, leave)
        shell.resident.journey = JourneySession(journey)
        shell.go().show_step()
        self.shell.window.taster_banner.set_hint(f"Practice run: nothing is sent. {run.step.practice.prompt}"
                                                 if run.step.practice is not None else "Practice run: nothing is sent.")

    def practice_error(self) -> None:
        """A practice journey page showed an error: the lesson's hint goes with it."""
        run = self._run()
        if run is not None and run.step.practice is not None:
            hint = run.failed_try()
            self.shell.narrator.say(f"Hint: {hint}")
            self.shell.window.taster_banner.set_hint(hint)

    # ---- certificate --------------------------------------------------------------------
    def show_certificate(self, error: str = "", name: str = "") -> None:
        running = self.running
        if running is None:
            return
        self.shell.resident.practice = None
        titles = [self.lessons[i].title for i in running.completed]
        page = CertificatePage(titles, running.certificate_url, error, name)
        page.make.connect(self._make_certificate)
        page.back.connect(self.show_list)
        self._show(page)

    def _make_certificate(self, raw: str) -> None:
        running = self.running
        if running is None:
            return
        try:
            name = check_first_name(raw)
        except FieldError as err:
            self.show_certificate(err.message, raw)
            return
        self._show(busy_page("Please wait", "Making your certificate…"), busy=True)

        def made(url: str) -> None:
            if self.running is running:
                running.certificate_url = url
                self.show_certificate()

        def failed(exc: Exception) -> None:
            if self.running is not running:
                return
            if isinstance(exc, HubRejected):  # the hub said no (say, a lesson it does not know): say so
                self.show_certificate(f"The council's system could not make the certificate ({exc.detail}). "
                                      "Ask library staff.", raw)
            else:
                self.show_certificate("We cannot make the certificate right now: the connection is not "
                                      "working. Try again in a minute, or ask library staff.", raw)

        self.shell.hub_call(self.shell.services.client.taster_certificate(list(running.completed), name),
                             made, failed)

    def _show(self, page: Any, busy: bool = False) -> None:
        self.shell.window.taster_banner.set_hint("")
        self.shell.show(page, "busy" if busy else "question")
