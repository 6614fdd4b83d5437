"""Switching text size or contrast: time until the current page has re-laid out and painted.

    .venv/bin/python -m bench.theme_switch [--switches 100]

A question page with an error summary and a long list of options (fly-tipping "What has been
dumped?") at 1920x1080, offscreen; alternates standard/large text and standard/high contrast.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from bench.harness import environment, offline_settings, percentile
from kiosk.app import build_as_run
from kiosk.views.pages import StepPage
from kiosk.workflows.engine import JourneySession
from kiosk.workflows.loader import load_journeys

ROOT = Path(__file__).resolve().parent.parent


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
        for _ in range(5):
            app.processEvents()
        times = []
        choices = [("large", "standard"), ("standard", "standard"), ("standard", "high"), ("large", "high")]
        for i in range(args.switches):
            size, colours = choices[i % len(choices)]
            watcher = Painted(page)
            start = time.perf_counter()
            controller.display.set(text_size=size, contrast_name=colours)
            page.update()
            while watcher.at is None:
                app.processEvents()
            page.removeEventFilter(watcher)
            times.append((watcher.at - start) * 1000)
        p95 = percentile(times, 0.95)
        print(f"switch text size or contrast -> page re-laid out and painted: p50 {statistics.median(times):.1f} ms, "
              f"p95 {p95:.1f} ms, max {max(times):.1f} ms over {len(times)} switches (target p95 <= 100 ms)")
        print(environment())
        controller.close()
        services.outbox.close()


if __name__ == "__main__":
    main()
