"""Switching text size or contrast: time until the current page has re-laid out and painted.

    .venv/bin/python -m bench.theme_switch [--switches 100] [--boards]

A question page with an error summary and a long list of options (fly-tipping "What has been
dumped?") at 1920x1080, offscreen; alternates standard/large text and standard/high contrast.
With ``--boards``, the on-screen keyboard has first been shown for a text, an email, a postcode and
a number box, as after a resident has typed in a journey: its boards are kept built (hidden).

Then, in a process of its own, a bare PySide6 window restyled the same way: as many labels,
buttons, check boxes and plain widgets as the kiosk's window had (shown or hidden as they were,
with the same words and roles) in the kiosk's own style sheets, set on the window as the kiosk's
are, switched in the same order and timed by the same clock. Restyling is Qt's work for every
widget in the window, so the bare window is the floor on this machine that day, and the ratio
holds when the machine is slow.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollBar,
    QWidget,
)

from accessibility.themes import theme_for
from bench.harness import environment, measuring_child, offline_settings, percentile
from kiosk.app import build_as_run
from kiosk.views.pages import StepPage
from kiosk.views.style import style_sheet
from kiosk.workflows.engine import JourneySession
from kiosk.workflows.loader import load_journeys

ROOT = Path(__file__).resolve().parent.parent


CHOICES = [("large", "standard"), ("standard", "standard"), ("standard", "high"), ("large", "high")]

BARE_RESTYLE = r"""
import json, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

spec = json.loads(open(sys.argv[1], encoding="utf-8").read())
sheets = [open(path, encoding="utf-8").read() for path in spec["sheets"]]
app = QApplication(sys.argv[:1])
window = QWidget()
window.setStyleSheet(sheets[-1])  # where the kiosk's switches start; the window's own, as the kiosk's
outer = QVBoxLayout(window)
area = QScrollArea()
area.setWidgetResizable(True)
outer.addWidget(area)
page = QWidget()
area.setWidget(page)
lay = QVBoxLayout(page)
for kind, text, role, shown in spec["widgets"]:
    widget = {"label": QLabel, "check": QCheckBox, "push": QPushButton, "plain": QWidget}[kind]()
    if kind == "label":
        widget.setWordWrap(True)
    if text:
        widget.setText(text)
    if role:
        widget.setProperty("role", role)
    (lay if shown else outer).addWidget(widget)
    widget.setVisible(shown)
window.resize(1920, 1080)
window.show()
for _ in range(5):
    app.processEvents()

class Painted(QObject):
    def __init__(self):
        super().__init__()
        self.at = None
        page.installEventFilter(self)
    def eventFilter(self, obj, event):
        if self.at is None and event.type() == QEvent.Type.Paint:
            self.at = time.perf_counter()
        return False

times = []
for i in range(spec["switches"]):
    watcher = Painted()
    start = time.perf_counter()
    window.setStyleSheet(sheets[i % len(sheets)])
    page.update()
    while watcher.at is None:
        app.processEvents()
    page.removeEventFilter(watcher)
    times.append((watcher.at - start) * 1000)
print(json.dumps(times))
"""


def widgets_of(window: QWidget) -> list[tuple[str, str, str, bool]]:
    """The kiosk window's widgets as the bare window makes them: kind, words, role, shown."""
    out = []
    for widget in [window, *window.findChildren(QWidget)]:
        if isinstance(widget, QScrollBar):
            continue  # the bare window's scroll area makes its own
        role = str(widget.property("role") or "")
        if isinstance(widget, QLabel):
            kind, text = "label", widget.text()
        elif isinstance(widget, (QCheckBox, QRadioButton)):
            kind, text = "check", widget.text()
        elif isinstance(widget, QAbstractButton):
            kind, text = "push", widget.text()
        else:
            kind, text = "plain", ""
        out.append((kind, text, role, widget.isVisible()))
    return out


def bare_restyle(widgets: list[tuple[str, str, str, bool]], switches: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        sheets = []
        for n, (size, colours) in enumerate(CHOICES):
            path = Path(tmp) / f"sheet{n}.qss"
            path.write_text(style_sheet(theme_for(size, colours)), encoding="utf-8")
            sheets.append(str(path))
        spec = Path(tmp) / "spec.json"
        spec.write_text(json.dumps({"sheets": sheets, "widgets": widgets, "switches": switches}), encoding="utf-8")
        out = measuring_child([sys.executable, "-c", BARE_RESTYLE, str(spec)], timeout=300)
    times: list[float] = json.loads(out)
    return times


class Painted(QObject):
    """When the page first paints (the page itself, which Qt paints before anything in it). On
    the page only: a filter on the application would time itself with every event in the app."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.page = page
        self.at: float | None = None
        page.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self.at is None and event.type() == QEvent.Type.Paint:
            self.at = time.perf_counter()
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--switches", type=int, default=100)
    parser.add_argument("--boards", action="store_true", help="the keyboard's boards built first, as after typing")
    args = parser.parse_args()
    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        settings = offline_settings(Path(tmp))
        services, window, controller = build_as_run(app, settings)
        window.resize(1920, 1080)
        window.show()
        journey = next(j for j in load_journeys([settings.journeys_dir]) if j.id == "fly-tipping")
        session = JourneySession(journey)
        session.history.append("what")
        session.submit_answer([])  # an error summary too
        page = StepPage(session.view())
        window.show_page(page)
        if args.boards:
            for layout in ("text", "email", "postcode", "numeric"):
                box = QLineEdit()
                box.setProperty("keyboard", layout)
                window.keyboard.attach(box)
                app.processEvents()
            window.keyboard.detach()
        for _ in range(5):
            app.processEvents()
        times = []
        for i in range(args.switches):
            size, colours = CHOICES[i % len(CHOICES)]
            watcher = Painted(page)
            start = time.perf_counter()
            controller.display.set(text_size=size, contrast_name=colours)
            page.update()
            while watcher.at is None:
                app.processEvents()
            page.removeEventFilter(watcher)
            times.append((watcher.at - start) * 1000)
        widgets = widgets_of(window)
        controller.close()
        services.outbox.close()
    bare = bare_restyle(widgets, args.switches)
    p95, bare_p95 = percentile(times, 0.95), percentile(bare, 0.95)
    print(f"switch text size or contrast -> page re-laid out and painted: p50 {statistics.median(times):.1f} ms, "
          f"p95 {p95:.1f} ms, max {max(times):.1f} ms over {len(times)} switches (target p95 <= 50 ms)")
    print(f"bare PySide6 window, {len(widgets)} widgets of the same kinds, restyled the same way: "
          f"p50 {statistics.median(bare):.1f} ms, p95 {bare_p95:.1f} ms; kiosk / bare at p95 {p95 / bare_p95:.2f}")
    print(environment())


if __name__ == "__main__":
    main()
