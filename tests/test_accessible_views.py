"""Walk every view of every journey (both orientations, with and without errors) and check
what a resident at a touchscreen and a screen-reader user both rely on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QPlainTextEdit, QWidget

from accessibility.themes import STANDARD, contrast, text_pairs, ui_pairs
from kiosk.views.fields import AddressField
from kiosk.views.pages import HomePage, ResultPage, Section, StepPage
from kiosk.views.send_pages import CheckAnswersPage, ConfirmationPage
from kiosk.workflows.describe import OptionView
from kiosk.workflows.engine import JourneySession
from kiosk.workflows.i18n import Catalog
from kiosk.workflows.loader import load_journeys
from kiosk.workflows.model import StepType
from tests.resident import Kiosk

ROOT = Path(__file__).resolve().parent.parent
JOURNEYS = load_journeys([ROOT / "config" / "journeys"])
ADDRESSES = [{"uprn": "1", "line1": "1 High Street", "line2": "", "town": "Stockton-on-Tees", "postcode": "TS18 1AU"},
             {"uprn": "2", "line1": "Flat 2", "line2": "5 High Street", "town": "Stockton-on-Tees",
              "postcode": "TS18 1AU"}]


def interactive(page: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    for cls in (QAbstractButton, QLineEdit, QPlainTextEdit):
        found += [w for w in page.findChildren(cls) if w.isVisibleTo(page)]
    return found


def check_page(kiosk: Kiosk, where: str, shots: Path | None = None) -> list[str]:
    problems: list[str] = []
    page = kiosk.page
    kiosk.qtbot.waitUntil(page.isVisible, timeout=2000)
    # Let pending layout requests run before measuring: wrapped text settles over a few passes
    # (each pass can post another layout request up the tree), all before anything is painted.
    for _ in range(6):
        QApplication.processEvents()
    if shots is not None:  # every view as the resident would see it, for people to look at
        name = re.sub(r"[^a-z0-9]+", "-", where.lower()).strip("-")
        assert kiosk.window.grab().save(str(shots / f"{name}.png"))
    bar = interactive(kiosk.window.topbar) if kiosk.window.topbar.isVisible() else []
    for w in interactive(page) + bar:
        label = f"{where}: {type(w).__name__} {w.objectName()!r}"
        if not w.accessibleName().strip():
            problems.append(f"{label} has no accessible name")
        if w.width() < 44 or w.height() < 44:
            problems.append(f"{label} is {w.width()}x{w.height()}, under 44x44")
        if w.property("role") == "primary" and w.height() < 64:
            problems.append(f"{label} main button is {w.height()} px high, under 64")
        if isinstance(w, QAbstractButton) and w.text() and w.width() < w.sizeHint().width() - 2:
            problems.append(f"{label} text {w.text()[:30]!r} is clipped ({w.width()} < {w.sizeHint().width()})")
    for lab in page.findChildren(QLabel):
        if not lab.isVisibleTo(page) or not lab.text():
            continue
        size = QFontInfo(lab.font()).pixelSize()
        if size < 22:
            problems.append(f"{where}: text {lab.text()[:30]!r} is {size}px, under 22")
        if (lab.wordWrap() and lab.height() < lab.heightForWidth(lab.width())) or (
                not lab.wordWrap() and lab.width() < lab.sizeHint().width()):
            problems.append(f"{where}: text {lab.text()[:30]!r} is clipped ({lab.height()} < {lab.heightForWidth(lab.width())} at {lab.width()})")
    return problems


def step_pages(kiosk: Kiosk, catalog: Catalog | None = None):  # type: ignore[no-untyped-def]
    """Every question page of every journey, then the same with an error showing."""
    for journey in JOURNEYS:
        for step in journey.steps:
            if step.type in (StepType.CHECK_ANSWERS, StepType.RESULT):
                continue
            for with_error in (False, True):
                session = JourneySession(journey, catalog=catalog)
                session.history.append(step.id)
                if step.options_source:
                    session.set_dynamic_options(step.id, [OptionView("2026-12-01", "Tuesday 1 December"),
                                                          OptionView("2026-12-03", "Thursday 3 December")])
                if with_error and step.collects_answer and not step.optional:
                    session.submit_answer(None)
                page = StepPage(session.view())
                kiosk.window.show_page(page)
                yield f"{journey.id}/{step.id}{' (error)' if with_error else ''}", page


@pytest.mark.parametrize("text_size", ["standard", "large", "largest"])
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_every_view_of_every_journey_is_named_sized_and_unclipped(kiosk: Kiosk, size: tuple[int, int],
                                                                  text_size: str, tmp_path: Path) -> None:
    def check(where: str) -> list[str]:
        found = check_page(kiosk, where, tmp_path)  # each view's screenshot is saved under tmp_path
        if kiosk.window.width() > size[0] or kiosk.window.height() > size[1]:
            found.append(f"{where}: the window needs {kiosk.window.width()}x{kiosk.window.height()}, "
                         f"more than the {size[0]}x{size[1]} screen")
        return found
    kiosk.controller.display.set(text_size=text_size, contrast_name="high" if text_size == "large" else "standard")
    kiosk.window.resize(*size)
    problems: list[str] = []
    problems += check("attract")
    kiosk.window.show_page(HomePage(JOURNEYS))
    problems += check("home")
    for where, page in step_pages(kiosk):
        problems += check(where)
        field = page.address_field
        if isinstance(field, AddressField):
            field.show_addresses(ADDRESSES)
            problems += check(f"{where} (address list)")
            field.set_mode("manual")
            problems += check(f"{where} (manual address)")
            kiosk.qtbot.waitUntil(kiosk.window.keyboard.isVisible, timeout=2000)
            for key in kiosk.window.keyboard.keys.values():
                if not key.accessibleName() or key.height() < 44 or key.width() < 44:
                    problems.append(f"keyboard key {key.text()!r}: {key.width()}x{key.height()}")
    for journey in JOURNEYS:
        if journey.submit is None:
            continue
        session = JourneySession(journey)
        session.history.append(next(s.id for s in journey.steps if s.type == StepType.CHECK_ANSWERS))
        kiosk.window.show_page(CheckAnswersPage(session.view(), session.summary()))
        problems += check(f"{journey.id}/check answers")
        kiosk.window.show_page(ConfirmationPage(journey.submit.confirmation_title, "KQ4M-7XTB-3HNP",
                                                journey.submit.what_happens_next, "http://hub/track/KQ4M-7XTB-3HNP",
                                                "Sending to the council now."))
        problems += check(f"{journey.id}/confirmation")
    kiosk.window.show_page(ResultPage("Check your bin days", "Your bin collection days", ["1 High Street"],
                                      [Section("General waste (grey bin)", ("Collected every Tuesday",))]))
    problems += check("result")
    kiosk.tap("get_help")
    problems += check("help overlay")
    assert problems == [], "\n".join(problems)


def test_theme_colours_meet_contrast() -> None:
    p = STANDARD.palette
    for what, fg, bg in text_pairs(p):
        assert contrast(fg, bg) >= STANDARD.min_text_contrast, f"{what}: {fg} on {bg} is {contrast(fg, bg):.2f}:1"
    for what, fg, bg in ui_pairs(p):
        assert contrast(fg, bg) >= 3.0, f"{what}: {contrast(fg, bg):.2f}:1"


def test_contrast_maths_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#1d70b8", "#ffffff") == pytest.approx(5.17, abs=0.01)
