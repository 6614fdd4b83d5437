"""A journey, one question a page: show the step, take the answer, go back or change, check
answers, then commit the submission to the outbox and show the reference at once."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from PySide6.QtCore import QObject, QTimer

from accessibility.speech import spell
from kiosk.flows.ahead import Ahead
from kiosk.flows.lookups import LookupFlow
from kiosk.shell import Shell
from kiosk.views.pages import MessagePage, StepPage
from kiosk.views.send_pages import CheckAnswersPage, ConfirmationPage
from kiosk.views.text import tr
from kiosk.workflows.describe import StepView, SummaryRow
from kiosk.workflows.i18n import N_
from kiosk.workflows.model import StepType
from kiosk.workflows.references import new_reference

log = logging.getLogger("kiosk.journey")

SEND_STATUS = {
    "sending": N_("Sending to the council now."),
    "sent": N_("Sent. The council has received it."),
    "waiting": N_("Saved on this kiosk. It will be sent when the connection is back. Keep your reference."),
    "held": N_("Saved on this kiosk. Staff will make sure it reaches the right team. Keep your reference."),
}


#: From showing a reference to sending its submission (see _on_submit).
SEND_AFTER_MS = 50


class JourneyFlow(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.lookups = LookupFlow(shell, back=self.back, leave=self._leave)
        self._confirmation_page: ConfirmationPage | None = None
        self.ahead = Ahead(shell)
        # One timer, made once (a singleShot with a method each time left a weak reference
        # behind per submission: tests/test_soak.py).
        self._send_soon = QTimer(shell.window)
        self._send_soon.setSingleShot(True)
        self._send_soon.setInterval(SEND_AFTER_MS)
        self._send_soon.timeout.connect(shell.services.worker.wake)
        shell.window.keyboard.enter_pressed.connect(self._on_keyboard_enter)
        shell.when_wiped(self._forget)

    def _forget(self, _reason: str) -> None:
        self._confirmation_page = None

    def show_step(self) -> None:
        shell = self.shell
        session = shell.resident.journey
        if session is None:
            return
        practice = shell.resident.practice is not None
        step = session.current
        shell.events.step_reached(session.journey.id, step.id)
        source = session.needs_dynamic_options()
        if source:
            self.lookups.load_options(session, source)
            return
        if step.type == StepType.CHECK_ANSWERS:
            view, rows = session.view(), session.summary()
            page = self.ahead.take(self._answers_key(view, rows, practice))
            if not (isinstance(page, CheckAnswersPage) and page.reword(rows)):
                page = self._check_answers_page(view, rows, practice)
            shell.show(page, "question")
            self.ahead.after_showing(self._prepare_confirmation)
            return
        if step.type == StepType.RESULT:
            self.lookups.run(session)
            return
        view = session.view()
        step_page = self.ahead.take(self.ahead.key(view, practice))
        if not isinstance(step_page, StepPage):
            step_page = self._step_page(view, practice)
        shell.show(step_page, "question")
        self.ahead.after_showing(self._prepare_next)

    # ---- pages, built when needed or ahead of time (kiosk/flows/ahead.py) -------------
    def _step_page(self, view: StepView, practice: bool) -> StepPage:
        shell = self.shell
        step_page = StepPage(view)
        step_page.continued.connect(self._on_continue)
        step_page.back.connect(self.back)
        step_page.handoff.connect(shell.go().start_handoff)
        step_page.finished.connect(self._finished_at_end)
        if practice:
            step_page.practice_only()
        address = step_page.address_field
        if address is not None:
            address.lookup_requested.connect(lambda pc: self.lookups.addresses(address, pc))
        return step_page

    def _check_answers_page(self, view: StepView, rows: list[SummaryRow], practice: bool) -> CheckAnswersPage:
        page = CheckAnswersPage(view, rows)
        page.change.connect(self._on_change)
        page.submit.connect(self._on_submit)
        page.back.connect(self.back)
        page.handoff.connect(self.shell.go().start_handoff)
        if practice:
            page.practice_only()
        return page

    def _answers_key(self, view: StepView, rows: list[SummaryRow], practice: bool) -> object:
        """A check-answers page's questions, not its answers: those are re-worded (reword)."""
        return self.ahead.key(view, tuple((r.step_id, r.label, r.sensitive) for r in rows), practice)

    def _prepare_next(self) -> None:
        """While the resident reads a question: the page it most likely leads to."""
        session = self.shell.resident.journey
        preview = session.preview_next() if session is not None else None
        if preview is None:
            return
        practice = self.shell.resident.practice is not None
        view = preview.view
        if view.type == StepType.CHECK_ANSWERS:
            rows = list(preview.rows)
            self.ahead.prepare(self._answers_key(view, rows, practice),
                               lambda: self._check_answers_page(view, rows, practice))
        else:
            self.ahead.prepare(self.ahead.key(view, practice), lambda: self._step_page(view, practice))

    def _confirmation_key(self) -> object:
        session = self.shell.resident.journey
        submit = session.journey.submit if session is not None else None
        if submit is None or self.shell.resident.practice is not None:
            return None
        return self.ahead.key("confirmation", submit.confirmation_title, tuple(submit.what_happens_next),
                              self._track_url(""))

    def _track_url(self, reference: str) -> str:
        shell = self.shell
        hub = shell.settings.hub
        url = f"{(hub.public_url or hub.url).rstrip('/')}/track/{reference}"
        if shell.catalog.code != "en":
            url += f"?lang={shell.catalog.code}"  # the tracking page in the resident's language
        return url

    def _prepare_confirmation(self) -> None:
        """While the resident checks their answers: the confirmation, with a reference drawn for
        it (a reference means nothing until the submission is committed with it: _on_submit)."""
        session = self.shell.resident.journey
        submit = session.journey.submit if session is not None else None
        key = self._confirmation_key()
        if submit is None or key is None:
            return

        def build() -> ConfirmationPage:
            reference = new_reference()
            return ConfirmationPage(submit.confirmation_title, reference, submit.what_happens_next,
                                    self._track_url(reference), tr(SEND_STATUS["sending"]))

        self.ahead.prepare(key, build)

    def _on_continue(self, raw: Any) -> None:
        shell = self.shell
        session = shell.resident.journey
        if session is None:
            return
        step_id = session.current.id
        officer = shell.resident.officer
        if not session.submit_answer(raw):
            error = session.view().errors[0]
            shell.events.validation_error(session.journey.id, session.current.id, error.part,
                                          session.last_error_kind)
            if shell.resident.practice is not None:
                shell.go().practice_error()
        elif (officer is not None and shell.window.assist.isVisible()
              and session.journey.step(step_id).collects_answer):
            officer.entered.add(step_id)
            shell.audit("changed_answer", step_id)
        self.show_step()

    def _on_keyboard_enter(self) -> None:
        page = self.shell.window.page
        if isinstance(page, StepPage):
            page.primary.click()

    def back(self) -> None:
        resident = self.shell.resident
        if resident.journey is not None and resident.journey.back():
            self.show_step()
        elif resident.practice is not None:
            resident.practice.leave()
        else:
            self.shell.go().show_home()

    def _on_change(self, step_id: str) -> None:
        session = self.shell.resident.journey
        if session is not None:
            session.change(step_id)
            self.show_step()

    def _leave(self) -> None:
        practice = self.shell.resident.practice
        if practice is not None:
            practice.leave()
        else:
            self.shell.go().end_session("start_again")

    def _finished_at_end(self) -> None:
        """"Back to the start" on a journey's last information page."""
        practice = self.shell.resident.practice
        if practice is not None:
            practice.done()
        else:
            self.shell.go().end_session("finish")

    # ---- submitting ---------------------------------------------------------------
    def _on_submit(self) -> None:
        shell = self.shell
        resident = shell.resident
        session = resident.journey
        if resident.practice is not None:
            resident.practice.done()  # a practice run: nothing is sent
            return
        if session is None or session.journey.submit is None:
            return
        payload = session.submission()
        ready = self.ahead.take(self._confirmation_key())
        page = ready if isinstance(ready, ConfirmationPage) else None
        reference = page.code if page is not None else new_reference()
        officer = resident.officer
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
            # On the Qt thread on purpose: the commit is what makes the reference true, and the
            # resident sees the reference only once it has happened (a few milliseconds).
            shell.services.outbox.put("submission", uuid.uuid4().hex, payload)
        except Exception:
            log.exception("could not commit a submission to the outbox")
            if page is not None:
                shell.window.discard_parked(page)
            fault = MessagePage("fault", tr("Sorry, we could not save your answers"), [
                tr("Nothing has been sent. This kiosk has a problem storing information."),
                shell.settings.branding.counter_directions,
            ], [("start", tr("Start again"), "primary")])
            fault.action.connect(lambda _k: shell.go().end_session("start_again"))
            shell.show(fault, "question")
            return
        log.info("submission queued", extra={"journey": session.journey.id})
        shell.events.submitted(session.journey.id, payload["channel"], session.error_count)
        resident.journey_done = True
        submit = session.journey.submit
        initial = tr(SEND_STATUS["waiting" if shell.hub_status.reachable is False else "sending"])
        if page is None:
            page = ConfirmationPage(submit.confirmation_title, reference, submit.what_happens_next,
                                    self._track_url(reference), initial)
        elif page.status.text() != initial:
            page.set_status(initial)
        page.finished.connect(shell.go().ask_why)
        page.spell.setVisible(shell.narrator.enabled)
        page.spell.clicked.connect(lambda: shell.narrator.say(spell(reference)))
        resident.confirmation = reference
        self._confirmation_page = page
        resident.journey = None  # answers are in the outbox now; nothing to go back to
        shell.show(page, "confirmation")
        # Sent once the reference is on the screen: sending takes the Qt thread a millisecond
        # or two (the payload read back and decrypted, the request made), which the page's first
        # paint need not wait for. The submission is safe in the outbox already.
        self._send_soon.start()

    def on_send_state(self, reference: str, state: str) -> None:
        """From the outbox worker: tell the resident the truth about their submission."""
        page = self._confirmation_page
        if page is not None and self.shell.resident.confirmation == reference:
            page.set_status(tr(SEND_STATUS.get(state, SEND_STATUS["waiting"])))
