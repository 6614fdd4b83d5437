"""The next page is built while the resident reads this one (kiosk/flows/ahead.py): shown on
the tap when the answer leads there, never when it does not, and gone with the session."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel

from kiosk.flows.ahead import Ahead
from kiosk.views.scrolling import ScrollPage
from kiosk.views.send_pages import CheckAnswersPage, ConfirmationPage
from tests.resident import Kiosk


def ahead(kiosk: Kiosk) -> Ahead:
    return kiosk.controller.journey.ahead


def built_ahead(kiosk: Kiosk, name: str) -> ScrollPage:
    """Wait, as a resident reads, until the page called ``name`` has been built ahead."""
    kiosk.qtbot.waitUntil(lambda: (page := ahead(kiosk).waiting) is not None and page.objectName() == name,
                          timeout=3000)
    page = ahead(kiosk).waiting
    assert page is not None
    assert not page.isVisible(), "a page built ahead is out of sight until it is needed"
    return page


def reference_shown(reference: str) -> bool:
    """Whether any label holds the reference (as drawn: with break hints after its hyphens)."""
    return any(reference in w.text().replace("\u200b", "") for w in QApplication.allWidgets()
               if isinstance(w, QLabel))


def to_bin_type(kiosk: Kiosk) -> None:
    kiosk.start("missed-bin")
    kiosk.wait_heading("What is the address of the missed bin?")
    kiosk.typed_address("address")
    kiosk.wait_heading("Which bin was missed?")


def to_email(kiosk: Kiosk, details: str = "") -> None:
    """On to the last question, the optional email address."""
    to_bin_type(kiosk)
    kiosk.choose("bin_type", "general")
    kiosk.date("when", "2", "11", "2026")
    kiosk.cont()
    kiosk.choose("where_left", "kerbside")
    kiosk.wait_heading("Is there anything else the crew should know? (optional)")
    if details:
        kiosk.type("input_details", details)
    kiosk.cont()
    kiosk.wait_heading("What is your email address? (optional)")


def test_the_next_question_is_built_while_the_resident_reads_and_shown_on_the_tap(kiosk: Kiosk) -> None:
    to_bin_type(kiosk)
    kiosk.choose("bin_type", "general")
    kiosk.wait_heading("When was your bin due to be collected?")
    ready = built_ahead(kiosk, "step_where_left")
    kiosk.date("when", "2", "11", "2026")
    kiosk.cont()
    kiosk.wait_heading("Where did you leave the bin?")
    assert kiosk.page is ready
    assert ready.isVisible()
    assert ahead(kiosk).waiting is None or ahead(kiosk).waiting is not ready


def test_an_answer_that_leads_elsewhere_gets_its_own_page(kiosk: Kiosk) -> None:
    """The guess is the route for an answer it cannot know: "garden" goes another way."""
    to_bin_type(kiosk)
    guess = built_ahead(kiosk, "step_when")
    kiosk.choose("bin_type", "garden")
    kiosk.wait_heading("Have you paid for garden waste collections this year?")
    assert kiosk.page is not guess
    assert not guess.isVisible()


def test_check_answers_built_ahead_shows_the_answer_just_given(kiosk: Kiosk) -> None:
    to_email(kiosk)
    ready = built_ahead(kiosk, "check_answers")
    assert isinstance(ready, CheckAnswersPage)
    kiosk.type("input_email", "resident@example.com")
    kiosk.cont()
    kiosk.wait_page("check_answers")
    assert kiosk.page is ready
    assert kiosk.label_text("answer_email") == "resident@example.com"
    assert kiosk.widget(QLabel, "answer_email").accessibleName().endswith(": resident@example.com")


def test_the_reference_drawn_ahead_is_the_one_sent(kiosk: Kiosk) -> None:
    to_email(kiosk)
    kiosk.cont()
    kiosk.wait_page("check_answers")
    ready = built_ahead(kiosk, "confirmation")
    assert isinstance(ready, ConfirmationPage)
    kiosk.tap("continue")
    kiosk.wait_page("confirmation")
    assert kiosk.page is ready
    reference = kiosk.label_text("reference")
    assert reference == ready.code
    assert kiosk.hub is not None
    kiosk.qtbot.waitUntil(lambda: kiosk.hub.case(reference) is not None, timeout=5000)


def test_the_wipe_takes_a_page_built_ahead_with_the_answers_in_it(kiosk: Kiosk) -> None:
    canary = "CANARY-ahead-7Q2"
    to_email(kiosk, details=canary)
    built_ahead(kiosk, "check_answers")  # the details answer is on it

    def canary_on_a_widget() -> bool:
        return any(canary in (w.text() if isinstance(w, QLabel) else "") or canary in w.accessibleName()
                   for w in QApplication.allWidgets())

    assert canary_on_a_widget()
    kiosk.controller.end_session()
    kiosk.qtbot.waitUntil(lambda: not canary_on_a_widget(), timeout=3000)
    assert ahead(kiosk).waiting is None


def test_a_submission_that_cannot_be_stored_shows_no_reference(kiosk: Kiosk) -> None:
    """The outbox refuses the write (a storage fault): the fault page, not the confirmation
    built ahead, and its reference is gone with it."""
    to_email(kiosk)
    kiosk.cont()
    kiosk.wait_page("check_answers")
    ready = built_ahead(kiosk, "confirmation")
    assert isinstance(ready, ConfirmationPage)
    reference = ready.code
    outbox = kiosk.services.outbox
    assert reference_shown(reference)  # on the page built ahead, hidden
    outbox._db.execute("PRAGMA query_only=ON")  # every write now fails, as on a read-only disk
    try:
        kiosk.tap("continue")
        kiosk.wait_heading("Sorry, we could not save your answers")
        kiosk.qtbot.waitUntil(lambda: not reference_shown(reference), timeout=3000)
    finally:
        outbox._db.execute("PRAGMA query_only=OFF")
    assert outbox.depth("submission") == 0
    assert kiosk.hub is not None and kiosk.hub.case(reference) is None
