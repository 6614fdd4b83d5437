"""Finish on my phone: the answers go to the hub, the kiosk shows a QR code and a short code,
can send the link by email or text, and forgets the answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QObject, QTimer

from kiosk.hub_client import HubRejected
from kiosk.shell import Shell
from kiosk.views.pages import HandoffPage, MessagePage, StepPage, busy_page
from kiosk.views.text import tr
from kiosk.workflows import messages as m
from kiosk.workflows.engine import is_blank

#: How often the kiosk asks whether a phone has taken the journey, while it shows the QR code.
PROGRESS_MS = 3000


def valid_until(expires_at: dt.datetime) -> str:
    """When the link stops working, in local time, as a resident would say it."""
    until = (expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=dt.UTC)).astimezone()
    return f"{until:%A} {until.day} {until:%B} at {until:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")


class HandoffFlow(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        # Parented to the window: it goes with it, and never fires on a deleted page.
        self._progress = QTimer(shell.window)
        self._progress.setInterval(PROGRESS_MS)
        self._progress.timeout.connect(self._ask_progress)
        self._watching: tuple[HandoffPage, str] | None = None

    def draft(self) -> Any:
        """What the resident typed or chose on the page showing, not yet sent with Continue."""
        page = self.shell.window.page
        field = page.field if isinstance(page, StepPage) else None
        value = field.value() if field is not None else None
        return None if is_blank(value) else value

    def start(self) -> None:
        shell = self.shell
        session = shell.resident.journey
        if session is None or session.journey.submit is None or shell.resident.practice is not None:
            return
        shell.close_overlay()
        state = m.HandoffIn(
            journey_id=session.journey.id, journey_version=session.journey.version, answers=session.answers,
            history=session.history,
            changing=session.changing,
            dynamic={sid: [(o.value, o.label) for o in opts] for sid, opts in session.dynamic_options().items()},
            language=shell.catalog.code, draft=self.draft(),
        )
        shell.show(busy_page(tr("Please wait"), tr("Getting a link for your phone…")), "busy")

        def done(made: m.HandoffOut) -> None:
            if shell.resident.journey is not session:
                return
            shell.note_left("handoff")
            shell.resident.journey = None  # the answers are at the hub now; the kiosk forgets them
            page = HandoffPage(made.url, made.code, made.typed_address, valid_until(made.expires_at), can_send=True)
            page.done.connect(lambda: shell.go().end_session("handoff"))
            page.send_requested.connect(lambda to: self._send_link(page, made, to))
            shell.show(page, "question")
            self._watching = (page, made.id)
            self._progress.start()

        def failed(_exc: Exception) -> None:
            if shell.resident.journey is not session:
                return
            page = MessagePage("fault", tr("Sorry, we cannot send this to your phone right now"), [
                tr("The connection to the council's system is not working. Your answers are still here."),
                tr("You can carry on at this kiosk instead."),
            ], [("back", tr("Carry on here"), "primary"), ("start", tr("Start again"), "secondary")])
            page.action.connect(lambda key: shell.go().show_step() if key == "back"
                                else shell.go().end_session("start_again"))
            shell.show(page, "question")

        shell.hub_call(shell.services.client.create_handoff(state), done, failed)

    # ---- is the phone there yet? -----------------------------------------------------------
    def _ask_progress(self) -> None:
        watching = self._watching
        if watching is None or self.shell.window.page is not watching[0]:
            self._progress.stop()
            self._watching = None
            return
        page, handoff_id = watching

        def answered(state: str) -> None:
            if self.shell.window.page is page and state in ("on_phone", "finished"):
                self._on_phone(state == "finished")

        # A hub that does not answer changes nothing: the QR code stays, and we ask again.
        self.shell.hub_call(self.shell.services.client.handoff_progress(handoff_id), answered, lambda _exc: None)

    def _on_phone(self, finished: bool) -> None:
        """A phone has the journey: the QR code goes and the resident is told. The kiosk wipes on
        Done, or when the end page's idle time runs out (with its warning, and longer for those
        who asked for more time), as after any confirmation."""
        self._progress.stop()
        self._watching = None
        shell = self.shell
        if finished:
            heading, lines = tr("Finished on your phone"), [
                tr("Your phone has sent it to the council. Your reference is on your phone."),
                tr("Nothing you typed stays on this kiosk.")]
        else:
            heading, lines = tr("Your answers are on your phone"), [
                tr("Carry on there. Your phone will give you a reference when you send it."),
                tr("Nothing you typed stays on this kiosk.")]
        page = MessagePage("on_your_phone", heading, lines, [("done", tr("Done"), "primary")])
        page.action.connect(lambda _key: shell.go().end_session("handoff"))
        shell.show(page, "confirmation")

    def close(self) -> None:
        self._progress.stop()
        self._watching = None

    def _send_link(self, page: HandoffPage, made: m.HandoffOut, to: str) -> None:
        if not to.strip():
            page.say(tr("Enter your email address or mobile number"), error=True)
            return
        page.say("Sending…")
        token = made.url.rsplit("/", 1)[1]
        window = self.shell.window

        def done(by: str) -> None:
            if window.page is page:
                page.say(tr("Sent. Check your email.") if by == "email" else tr("Sent. Check your text messages."))

        def failed(exc: Exception) -> None:
            if window.page is not page:
                return
            if isinstance(exc, HubRejected) and exc.status in (404, 410, 422, 501):
                page.say(exc.detail, error=True)
            else:
                page.say(tr("We cannot send it right now. Scan the code, or write down the address and code."),
                         error=True)

        self.shell.hub_call(self.shell.services.client.send_link(made.id, to, token, made.code), done, failed)
