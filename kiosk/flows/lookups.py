"""Look-ups inside a journey: addresses at a postcode, choices the hub offers (collection days),
and the result steps (bin days, places with free WiFi, the status of a request)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject

from accessibility.speech import page_text
from kiosk.hub_client import HubRejected
from kiosk.places import places_offering
from kiosk.shell import Shell
from kiosk.views.fields import AddressField
from kiosk.views.pages import MessagePage, ResultPage, Section, busy_page
from kiosk.views.text import tr
from kiosk.workflows import messages as m
from kiosk.workflows.describe import OptionView
from kiosk.workflows.engine import JourneySession
from kiosk.workflows.structs import dump
from kiosk.workflows.validators import FieldError, validate_postcode
from kiosk.workflows.words import BIN_NAMES, WEEKDAY_NAMES


class LookupFlow(QObject):
    def __init__(self, shell: Shell, back: Callable[[], None], leave: Callable[[], None]) -> None:
        super().__init__()
        self.shell = shell
        self._back = back
        self._leave = leave

    def _current(self, session: JourneySession) -> bool:
        """A reply still belongs on screen: the resident has not left (or been wiped) meanwhile."""
        return self.shell.resident.journey is session

    def addresses(self, field_: AddressField, postcode: str) -> None:
        try:
            normalised = validate_postcode(postcode, "a postcode")
        except FieldError as err:
            field_.show_lookup_failed(err.message)
            return
        session = self.shell.resident.journey
        if session is None:
            return

        def done(found: list[m.FoundAddress]) -> None:
            if self._current(session):
                field_.show_addresses([dump(a) for a in found])
                # Read out what was found (the kiosk's speech; a screen reader hears "2 addresses
                # found" take focus, and the addresses as it moves on).
                self.shell.narrator.say(page_text(field_))

        def failed(exc: Exception) -> None:
            if not self._current(session):
                return
            if isinstance(exc, HubRejected) and exc.status == 422:
                field_.show_lookup_failed(exc.detail)
            else:
                field_.show_lookup_failed(tr("We cannot look up addresses right now. "
                                             "Choose My address is not listed to type the address in."))

        self.shell.hub_call(self.shell.services.client.addresses(normalised), done, failed)

    def load_options(self, session: JourneySession, source: str) -> None:
        shell = self.shell
        shell.show(busy_page(tr("Please wait"), tr("Finding the choices for you…")), "busy")

        def done(options: list[m.Option]) -> None:
            if self._current(session):
                session.set_dynamic_options(session.current.id, [
                    OptionView(o.value, self._date_label(session, o.value, o.label)) for o in options])
                shell.go().show_step()

        def failed(_exc: Exception) -> None:
            if self._current(session):
                self._show_fault(
                    tr("Sorry, we cannot show the choices right now"),
                    [tr("We cannot reach the council's system to get them. Your answers so far are kept."),
                     tr("Try again in a minute, or ask at the counter.")])

        shell.hub_call(shell.services.client.options(source), done, failed)

    @staticmethod
    def _date_label(session: JourneySession, value: str, label: str) -> str:
        """Collection days come from the hub as dates: write them in the resident's language."""
        try:
            return session.catalog.weekday_date(dt.date.fromisoformat(value))
        except ValueError:
            return label

    def run(self, session: JourneySession) -> None:
        """A result step: look the answer up and show what was found."""
        shell = self.shell
        step = session.current
        answer = session.answers.get(step.lookup_from)
        if step.lookup == "places":
            self._show_places(session, str(answer or "wifi"))
            return
        if step.lookup == "bin_days" and isinstance(answer, dict) and not answer.get("uprn"):
            self._show_result(session, tr("We cannot check bin days for that address here"), [
                tr("We only hold collection days for addresses in our list, and the address you typed is not in it."),
                tr("Ask at the counter and staff will check for you."),
            ], [], found=False)
            return
        shell.show(busy_page(tr("Please wait"), tr("Checking with the council's system…")), "busy")

        def failed(exc: Exception) -> None:
            if not self._current(session):
                return
            if isinstance(exc, HubRejected) and exc.status == 404:
                self._show_result(session, tr("We cannot find that"), [exc.detail + ".",
                                  tr("Check your receipt and try again. If you sent it in the last few minutes, "
                                     "it may still be on its way.")], [], found=False)
                return
            self._show_fault(
                tr("Sorry, we cannot check this right now"),
                [tr("We cannot reach the council's system. Nothing you entered has been lost."),
                 tr("Try again in a minute, or ask at the counter.")])

        client = shell.services.client
        if step.lookup == "bin_days" and isinstance(answer, dict):
            shell.hub_call(client.collections(answer["uprn"]), lambda found: self._show_bins(session, found), failed)
        elif step.lookup == "request_status":
            shell.hub_call(client.request_status(str(answer)), lambda found: self._show_status(session, found),
                           failed)

    def _show_bins(self, session: JourneySession, found: m.Collections) -> None:
        if not self._current(session):
            return
        sections = []
        for c in found.collections:
            when = tr("Next collection: {date}", date=session.catalog.weekday_date(c.next))
            every = tr("Collected every {day}", day=tr(c.day) if c.day in WEEKDAY_NAMES else c.day)
            sections.append(Section(tr(c.bin) if c.bin in BIN_NAMES else c.bin, (every, when)))
        self._show_result(session, session.current.question, [found.address,
                          tr("Put your bin out by 7am on collection day.")], sections)

    def _show_status(self, session: JourneySession, found: m.RequestStatus) -> None:
        if not self._current(session):
            return
        shell = self.shell
        title = next((shell.catalog.journey(j).title for j in shell.services.journeys
                      if j.title == found.title), found.title)  # in the resident's language
        self._show_result(session, title, [tr("Reference {reference}", reference=found.reference),
                          tr(found.status_text)], [Section(tr("Updates"), tuple(found.updates))])

    def _show_places(self, session: JourneySession, need: str) -> None:
        code = self.shell.catalog.code
        found = [p.in_language(code) for p in places_offering(self.shell.services.places, need)]
        intro = [tr("All of these are free to use.")] if found else [
            tr("We do not have a list of places here yet. Ask at the counter.")]
        sections = [Section(p.name, (p.address, *p.hours, *([p.note] if p.note else []))) for p in found]
        self._show_result(session, session.current.question, intro, sections)

    def _show_result(self, session: JourneySession, heading: str, intro: list[str], sections: list[Section],
                     found: bool = True) -> None:
        shell = self.shell
        page = ResultPage(session.journey.title, heading, intro, sections)
        practice = shell.resident.practice
        if practice is not None:
            page.finished.connect(practice.done)
        elif found:
            shell.resident.journey_done = True
            shell.events.lookup_finished(session.journey.id)
            page.finished.connect(shell.go().ask_why)
        else:
            page.finished.connect(lambda: shell.go().end_session("finish"))
        page.back.connect(self._back)
        shell.show(page, "question")

    def _show_fault(self, heading: str, paragraphs: list[str]) -> None:
        page = MessagePage("fault", heading, paragraphs, [("retry", tr("Try again"), "primary"),
                                                          ("start", tr("Start again"), "secondary")])
        page.action.connect(self._on_fault_action)
        self.shell.show(page, "question")

    def _on_fault_action(self, key: str) -> None:
        if key == "retry":
            self.shell.go().show_step()
        else:
            self._leave()
