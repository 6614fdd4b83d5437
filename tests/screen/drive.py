"""The real kiosk window, full screen on a real X server (run under Xvfb with the xcb platform),
shown every view of every journey in each text size and colour scheme. For each view it
compares the window with the screen, checks every control lies on the screen, and measures the
contrast of every text from the screen's pixels. Writes a JSON report (and, with --shots, a PNG
of every view).

    xvfb-run -a -s '-screen 0 1080x1920x24' .venv/bin/python -m tests.screen.drive OUT.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

os.environ["QT_QPA_PLATFORM"] = "xcb"

import qasync
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QPlainTextEdit

from kiosk.app import build_kiosk, build_services, show_full_screen
from kiosk.views.attract import AttractPage
from kiosk.views.fields import AddressField
from kiosk.views.pages import HomePage, ResultPage, Section
from kiosk.views.scrolling import scroll_area_of
from kiosk.views.send_pages import CheckAnswersPage, ConfirmationPage
from kiosk.views.text import tr
from kiosk.workflows.engine import JourneySession
from kiosk.workflows.model import StepType
from kiosk.workflows.opening_hours import hours_lines
from tests.resident import kiosk_settings
from tests.screen.measure import (
    as_array,
    controls,
    drawn_contrast,
    focus_contrast,
    global_rect,
    ink_columns,
    texts_on_screen,
    visible_rect,
)
from tests.test_accessible_views import ADDRESSES, JOURNEYS, step_pages

GOALS = {"standard": 4.5, "high": 7.0}


class Run:
    def __init__(self, shots: Path | None) -> None:
        self.app = QApplication.instance() or QApplication([])
        self.loop = qasync.QEventLoop(self.app, already_running=True)
        asyncio.set_event_loop(self.loop)
        self.tmp = Path(tempfile.mkdtemp())
        self.services = build_services(kiosk_settings(self.tmp, "http://127.0.0.1:9", "kt_none"))
        assert isinstance(self.app, QApplication)
        self.window, self.controller = build_kiosk(self.app, self.services)
        show_full_screen(self.window)
        self.controller.end_session("startup")
        screen = QGuiApplication.primaryScreen()
        assert screen is not None
        self.screen = screen
        self.shots = shots
        self.problems: list[str] = []
        self.views = 0
        self.lowest: dict[str, tuple[float, str]] = {}
        self.setting = ("standard", "standard")
        self.language = "en"

    def settle(self) -> None:
        """As a resident would see it a moment later: replies in, layouts and paints done."""
        QTest.qWait(120)
        for _ in range(8):
            self.app.processEvents()
            self.app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.window.repaint()
        self.app.processEvents()

    def check(self, where: str) -> None:
        self.settle()
        self.views += 1
        size, contrast_name = self.setting
        label = f"{size} text, {contrast_name} colours{'' if self.language == 'en' else ', ' + self.language}: {where}"
        screen = self.screen.geometry()
        frame = global_rect(self.window)
        if frame != screen:
            self.problems.append(f"{label}: the window is {frame.width()}x{frame.height()} at "
                                 f"({frame.x()},{frame.y()}), the screen {screen.width()}x{screen.height()}")
        strays = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not self.window]
        if strays:
            self.problems.append(f"{label}: windows of their own on screen: "
                                 f"{[type(w).__name__ + ' ' + w.objectName() for w in strays]}")
        image = self.screen.grabWindow(0)
        if self.shots is not None:
            name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
            image.save(str(self.shots / f"{name}.png"))
        pixels = as_array(image.toImage())
        for w in controls(self.window):
            rect = global_rect(w)
            area = scroll_area_of(w)  # the page's or an overlay's: scrolled to, not off screen
            inside = global_rect(area.viewport()) if area is not None else screen
            if rect.left() < inside.left() - 1 or rect.right() > inside.right() + 1:
                self.problems.append(f"{label}: {type(w).__name__} {w.objectName()!r} runs off the side "
                                     f"(x {rect.left()}..{rect.right()}, screen 0..{screen.right()})")
            elif area is None and (rect.top() < screen.top() or rect.bottom() > screen.bottom()):
                self.problems.append(f"{label}: {type(w).__name__} {w.objectName()!r} is off screen "
                                     f"(y {rect.top()}..{rect.bottom()})")
        for lab in self.window.findChildren(QLabel):
            if (lab.isVisible() and lab.wordWrap() and lab.text().strip()
                    and lab.height() < lab.heightForWidth(lab.width()) - 1):
                self.problems.append(f"{label}: text {lab.text()[:40]!r} is cut off ({lab.height()} px high, "
                                     f"needs {lab.heightForWidth(lab.width())})")
        goal = GOALS[contrast_name]
        focused = QApplication.focusWidget()
        if isinstance(focused, (QLineEdit, QPlainTextEdit)) and focused.isVisible():
            # Where the resident types: the cursor's line is what is on top there (not the
            # action bar or the keyboard), so they see what they type (WCAG 2.2, 2.4.11).
            cursor = focused.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle).center()
            top = self.window.childAt(focused.mapTo(self.window, cursor))
            if top is not focused and not (top is not None and focused.isAncestorOf(top)):
                self.problems.append(f"{label}: the text box {focused.objectName()!r} with the focus is under "
                                     f"{type(top).__name__} {top.objectName() if top else ''!r} where its cursor is")
        if isinstance(focused, (QAbstractButton, QLineEdit, QPlainTextEdit)) and focused.isVisible():
            drawn = focus_contrast(pixels, visible_rect(focused))
            if drawn is not None:
                what = f"focus on {type(focused).__name__} {focused.objectName()!r}"
                low = self.lowest.get(f"focus {contrast_name}")
                if low is None or drawn.ratio < low[0]:
                    self.lowest[f"focus {contrast_name}"] = (drawn.ratio, f"{label}: {what} {drawn.describe()}")
                if drawn.ratio < goal:
                    self.problems.append(f"{label}: {what} is drawn {drawn.describe()}, under {goal}:1")
        # Under an overlay the screen is dimmed on purpose: what counts is the overlay's own text.
        overlay = self.window.overlay
        readable = overlay if overlay is not None and overlay.isVisible() else self.window
        for w, text, rect in texts_on_screen(readable):
            drawn = drawn_contrast(pixels, rect)
            if drawn is None:
                continue
            what = f"{type(w).__name__} {w.objectName() or text[:24]!r}"
            low = self.lowest.get(contrast_name)
            if low is None or drawn.ratio < low[0]:
                self.lowest[contrast_name] = (drawn.ratio, f"{label}: {what} {drawn.describe()}")
            if drawn.ratio < goal:
                self.problems.append(f"{label}: {what} {text[:40]!r} is drawn {drawn.describe()}, under {goal}:1")
            if self.window.isRightToLeft() and isinstance(w, QLabel) and not w.alignment() & Qt.AlignmentFlag.AlignHCenter:
                # Right to left, every text starts at the right, whatever script it is in.
                ink = ink_columns(pixels, rect)
                if ink is not None and (rect.right() - ink[1]) > (ink[0] - rect.left()) + 24:
                    self.problems.append(f"{label}: {what} {text[:40]!r} sits on the left in a right-to-left "
                                         f"layout (ink x {ink[0]}..{ink[1]} in {rect.left()}..{rect.right()})")


def views(run: Run) -> Iterator[tuple[str, Callable[[], None]]]:
    """Every view, as a name and a way to put it on screen."""
    window, controller = run.window, run.controller
    yield "attract", controller.show_attract
    shell = controller.shell
    languages = [c.language.name for c in shell.catalogs.values()]
    yield "attract with a message", lambda: shell.show(AttractPage(
        "Demo Borough Council", ["Open Monday to Friday, 8:30am to 5pm."], languages=languages), "none", top_bar=False)
    if run.setting[0] == "standard" and run.language == "en":  # shown only after a wipe, which puts both back
        yield "closed", lambda: shell.show(AttractPage("Demo Borough Council", closed_hours=hours_lines(
            ["09:00-17:00"] * 5 + ["10:00-13:00", "closed"], tr)), "none", top_bar=False)
    catalog = controller.shell.catalog
    yield "home", lambda: window.show_page(HomePage([catalog.journey(j) for j in JOURNEYS]))
    fake = SimpleNamespace(window=window)
    for where, page in step_pages(fake, catalog):  # type: ignore[arg-type]
        yield where, lambda: None
        field = page.address_field
        if isinstance(field, AddressField):
            yield f"{where} (address list)", lambda f=field: f.show_addresses(ADDRESSES)
            yield f"{where} (manual address)", lambda f=field: f.set_mode("manual")
    for journey in JOURNEYS:
        if journey.submit is None:
            continue
        session = JourneySession(journey)
        session.history.append(next(s.id for s in journey.steps if s.type == StepType.CHECK_ANSWERS))
        yield f"{journey.id}/check answers", lambda s=session: window.show_page(CheckAnswersPage(s.view(), s.summary()))
        yield f"{journey.id}/confirmation", lambda j=journey: window.show_page(ConfirmationPage(
            j.submit.confirmation_title, "KQ4M-7XTB-3HNP", j.submit.what_happens_next,  # type: ignore[union-attr]
            "http://hub/track/KQ4M-7XTB-3HNP", "Sending to the council now."))
    yield "result", lambda: window.show_page(ResultPage(
        "Check your bin days", "Your bin collection days", ["1 High Street"],
        [Section("General waste (grey bin)", ("Collected every Tuesday",))]))
    yield "help overlay", window.get_help.emit
    yield "handed back overlay", controller.assist.tell_handed_back
    yield "text size menu", controller.show_accessibility
    yield "language menu", controller.show_languages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("report", type=Path)
    parser.add_argument("--shots", type=Path)
    parser.add_argument("--sizes", default="standard,large,largest")
    parser.add_argument("--contrasts", default="standard,high")
    parser.add_argument("--only", default="", help="a regular expression: only the views it matches")
    parser.add_argument("--languages", default="en", help="language codes, each run through the views")
    args = parser.parse_args()
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    run = Run(args.shots)
    settings = [(lang, size, c) for lang in args.languages.split(",") for size in args.sizes.split(",")
                for c in args.contrasts.split(",")]
    for language, size, contrast_name in settings:
        run.controller.end_session("start_again")
        run.controller.set_language(language, redraw=False)
        run.controller.display.set(text_size=size, contrast_name=contrast_name)
        run.setting, run.language = (size, contrast_name), language
        for where, show in views(run):
            if args.only and not re.search(args.only, where):
                continue
            show()
            run.check(where)
            run.window.close_overlay()
    # The wipe puts everything back, and the window is the screen again.
    run.controller.end_session("start_again")
    run.setting, run.language = ("standard", "standard"), "en"
    run.check("attract after the wipe")
    report = {
        "screen": [run.screen.geometry().width(), run.screen.geometry().height()],
        "platform": QGuiApplication.platformName(),
        "views": run.views,
        "lowest": {k: {"ratio": round(v[0], 2), "where": v[1]} for k, v in run.lowest.items()},
        "problems": run.problems,
    }
    args.report.write_text(json.dumps(report, indent=1))
    run.controller.close()
    run.services.outbox.close()
    print(f"{run.views} views, {len(run.problems)} problems", file=sys.stderr)


if __name__ == "__main__":
    main()
