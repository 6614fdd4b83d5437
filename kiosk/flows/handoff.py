"""Finish on my phone: the answers go to the hub, the kiosk shows a QR code and a short code,
can send the link by email or text, and forgets the answers."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject

from kiosk.hub_client import HubRejected
from kiosk.shell import Shell
from kiosk.views.pages import HandoffPage, MessagePage, busy_page
from kiosk.views.text import tr
from kiosk.workflows import messages as m


def valid_until(expires_at: dt.datetime) -> str:
    """When the link stops working, in local time, as a resident would say it."""
    until = (expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=dt.UTC)).astimezone()
    return f"{until:%A} {until.day} {until:%B} at {until:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")


class HandoffFlow(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell

    def start(self) -> None:
        shell = self.shell
        session = shell.resident.journey
        if session is None or session.journey.submit is None or shell.resident.practice is not None:
            return
        shell.close_overlay()
        state = m.HandoffIn(
            journey_id=session.journey.id, answers=session.answers, history=session.history,
            changing=session.changing,
            dynamic={sid: [(o.value, o.label) for o in opts] for sid, opts in session.dynamic_options().items()},
            language=shell.catalog.code,
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
