"""Switching language: time until the current page is drawn again in the new language (texts,
direction, keyboard, the page rebuilt from the journey) and painted.

    .venv/bin/python -m bench.language_switch [--switches 100]

The fly-tipping "What has been dumped?" page (a long list of options) at 1920x1080, offscreen;
cycles English, Polish, Arabic (right to left), Urdu (right to left).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from bench.harness import environment, offline_settings, percentile
from bench.theme_switch import Painted
from kiosk.app import build_as_run

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--switches", type=int, default=100)
    args = parser.parse_args()
    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        settings = offline_settings(Path(tmp), languages_dir=ROOT / "config" / "i18n")
        services, window, controller = build_as_run(app, settings)
        window.resize(1920, 1080)
        window.show()
        controller.session_flow.start_journey("fly-tipping")
        controller.shell.resident.journey.history.append("what")  # type: ignore[union-attr]
        controller.show_step()
        for _ in range(5):
            app.processEvents()
        times = []
        codes = ["pl", "ar", "ur", "en"]
        for i in range(args.switches):
            start = time.perf_counter()
            controller.set_language(codes[i % len(codes)])
            page = window.page
            assert page is not None and page.objectName() == "step_what"
            watcher = Painted(page)
            while watcher.at is None:
                app.processEvents()
            page.removeEventFilter(watcher)
            app.sendPostedEvents(None, 52)  # QEvent.DeferredDelete: the old page goes, as in the running app
            times.append((watcher.at - start) * 1000)
        p95 = percentile(times, 0.95)
        print(f"switch language -> page drawn again and painted: p50 {statistics.median(times):.1f} ms, "
              f"p95 {p95:.1f} ms, max {max(times):.1f} ms over {len(times)} switches")
        print(environment())
        controller.close()
        services.outbox.close()


if __name__ == "__main__":
    main()
