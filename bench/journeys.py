"""Tap-to-paint latency and memory, driving the real kiosk widgets against a hub process.

    .venv/bin/python -m bench.journeys [--rounds 10]

Measures, in the kiosk process (offscreen, 1920x1080):
- p50/p95 from a tap on Continue (mouse press and release, given to the window as the display
  gives them) until the first frame showing the next page has been drawn (bench.frames), each
  tap 0.3 s after the page appeared, as a resident reads it first (the kiosk builds the next page
  meanwhile: kiosk/flows/ahead.py);
- peak RSS of the kiosk process after completing three journeys (missed bin, fly-tipping,
  bulky waste), and after all the rounds;
- p50/p95 from the wipe that ends a session (``end_session``, which collects the session's
  Python objects) to the attract screen's first paint.

The kiosk is built as ``kiosk run`` builds it (``kiosk.app.build_as_run``): Python's collector
runs only on the Qt thread, and what was loaded at start is set aside from it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QEvent, QEventLoop, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from bench.frames import FirstFrame
from bench.harness import READING_MS, environment, hub_process, kiosk_config, percentile, wait_for
from bench.theme_switch import Painted
from kiosk.app import build_as_run
from kiosk.config import load_settings
from kiosk.views.scrolling import scroll_area_of


class Driver:
    def __init__(self, app: QApplication, window, controller) -> None:  # type: ignore[no-untyped-def]
        self.app, self.window, self.controller = app, window, controller
        self.step_ms: list[float] = []
        self.step_names: list[str] = []
        self.wipe_ms: list[float] = []
        #: Pause before each tap as a resident reads (False: tap as soon as it is drawn).
        self.reading = True
        self.reading_ms = READING_MS

    def spin(self) -> None:
        self.app.processEvents()
        # processEvents() alone never runs deleteLater(); a real event loop does.
        self.app.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def find(self, cls: type, name: str) -> QWidget:
        found: list[QWidget | None] = [None]

        def look() -> bool:
            for area in (self.window.overlay, self.window.page, self.window.action_slot, self.window.topbar,
                         self.window.keyboard):
                if area is not None and area.isVisible():
                    w = area.findChild(cls, name)
                    if w is not None and w.isVisible():
                        found[0] = w
                        return True
            return False

        wait_for(look, 10, f"widget {name}", self.spin)
        assert found[0] is not None
        return found[0]

    def point(self, w: QWidget, pos: QPoint | None = None) -> QPoint:
        """Where a finger would touch ``w``, in window coordinates: in view, and on top."""
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        area = scroll_area_of(w)
        if area is not None:
            area.ensureWidgetVisible(w, 10, 10)
        point = w.mapTo(self.window, pos if pos is not None else QPoint(w.width() // 2, w.height() // 2))
        top = self.window.childAt(point)
        assert top is w or (top is not None and w.isAncestorOf(top)), f"{w.objectName()} is covered"
        return point

    def click(self, point: QPoint) -> None:
        """A click given to the window, as the display gives a finger's (the kiosk's input
        watchers see it first: kiosk/app_events.py)."""
        QTest.mouseClick(self.window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)

    def tap(self, name: str) -> None:
        self.read()
        self.click(self.point(self.find(QAbstractButton, name)))

    def read(self) -> None:
        """Wait as a resident does before a tap: they read the page first, for seconds, and
        nobody taps within 0.3 s of a page appearing. The kiosk's event loop runs meanwhile, as
        in use (it builds the page a tap most likely leads to: kiosk/flows/ahead.py)."""
        if not self.reading:
            return
        pause = QEventLoop()
        QTimer.singleShot(self.reading_ms, pause.quit)
        pause.exec()

    def cont(self) -> None:
        """Tap Continue and time it until the first frame showing the next page has been drawn
        (bench.frames: the bare window's taps in bench.versus_bare are timed by the same clock)."""
        old = self.window.page
        old_name = old.objectName()
        self.read()
        point = self.point(self.find(QAbstractButton, "continue"))
        frame = FirstFrame(self.window, lambda: self.window.page is not old)
        start = time.perf_counter()
        self.click(point)
        wait_for(lambda: frame.drawn is not None, 10, "next page drawn", self.spin)
        frame.close()
        assert frame.drawn is not None
        self.step_ms.append((frame.drawn - start) * 1000)
        self.step_names.append(f"{old_name} -> {self.window.page.objectName()}")

    def ms_to_paint(self, start: float) -> float:
        """Milliseconds from ``start`` to the first paint of the page now in the window, asked for
        now (the wipe's clock: the attract screen is shown without a tap)."""
        page = self.window.page
        painted = Painted(page)
        page.update()
        wait_for(lambda: painted.at is not None, 10, "paint", self.spin)
        page.removeEventFilter(painted)
        assert painted.at is not None
        return (painted.at - start) * 1000

    def type(self, name: str, text: str) -> None:
        w = self.find(QLineEdit, name)
        self.read()
        self.click(self.point(w, QPoint(w.width() // 2, min(w.height() // 2, 24))))
        assert isinstance(w, QLineEdit)
        w.clear()
        QTest.keyClicks(w, text)

    def address(self, step: str, postcode: str) -> None:
        self.type(f"input_{step}_postcode", postcode)
        self.tap(f"find_{step}")
        self.tap(f"address_{step}_0")

    def heading(self, text: str) -> None:
        wait_for(lambda: (lab := self.window.page.findChild(QLabel, "page_heading")) is not None
                 and lab.text() == text, 10, text, self.spin)

    def start(self, journey: str) -> None:
        """The wipe that ends the last session, timed until the attract screen has painted (it
        includes the collection of the session's objects: kiosk/flows/session.py), then the
        journey's first page."""
        start = time.perf_counter()
        self.controller.end_session()
        self.wipe_ms.append(self.ms_to_paint(start))
        self.tap("attract_start")
        self.tap(f"tile_{journey}")

    def finish(self) -> None:
        wait_for(lambda: self.window.page.objectName() == "check_answers", 10, "check answers", self.spin)
        self.cont()
        self.find(QLabel, "reference")
        wait_for(lambda: self.controller.services.outbox.depth() == 0, 10, "sent", self.spin)


def missed_bin(d: Driver) -> None:
    d.start("missed-bin")
    d.address("address", "TS18 1AU")
    d.tap("option_bin_type_general")
    d.tap("date_when_other")
    for part, value in (("day", "2"), ("month", "11"), ("year", "2026")):
        d.type(f"input_when_{part}", value)
    d.cont()
    d.tap("option_where_left_kerbside")
    d.cont()
    d.cont()
    d.finish()


def fly_tipping(d: Driver) -> None:
    d.start("fly-tipping")
    d.address("where", "TS18 1TX")
    d.type("input_location_detail", "Behind the garages")
    d.cont()
    d.tap("option_what_bags")
    d.cont()
    d.tap("option_size_car_boot")
    d.tap("option_anonymous_no")
    d.finish()


def bulky_waste(d: Driver) -> None:
    d.start("bulky-waste")
    d.address("address", "TS20 1AA")
    d.tap("option_items_sofa")
    d.cont()
    d.type("input_item_count", "1")
    d.cont()
    d.heading("Which day should we collect?")
    slot = d.window.page.findChildren(QAbstractButton)
    d.tap(next(b.objectName() for b in slot if b.objectName().startswith("option_slot_")))
    d.tap("option_payment_counter")
    d.type("input_phone", "07700900982")
    d.cont()
    d.finish()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(rounds: int, demo: bool = True) -> tuple[Driver, float, float]:
    """Drive the three journeys ``rounds`` times against a hub process; returns the driver (its
    step times and names) and the peak RSS after the first three journeys and after all."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    # Driven by processEvents() below, like pytest-qt does: the loop counts as running.
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp, hub_process(Path(tmp) / "hub") as hub:
        services, window, controller = build_as_run(app, load_settings(kiosk_config(Path(tmp), hub, demo=demo)))
        window.resize(1920, 1080)
        window.show()
        controller.show_attract()
        worker = asyncio.ensure_future(services.worker.run())
        driver = Driver(app, window, controller)
        for journey in (missed_bin, fly_tipping, bulky_waste):
            journey(driver)
        rss_three = peak_rss_mb()
        for _ in range(rounds - 1):
            for journey in (missed_bin, fly_tipping, bulky_waste):
                journey(driver)
        worker.cancel()
        return driver, rss_three, peak_rss_mb()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--verbose", action="store_true", help="list the slowest steps")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    args = parser.parse_args()
    driver, rss_three, rss_end = measure(args.rounds)
    steps = driver.step_ms
    if args.json:
        print(json.dumps({"p50": statistics.median(steps), "p95": percentile(steps, 0.95), "taps": len(steps),
                          "rss_mb": rss_end, "wipe_p95": percentile(driver.wipe_ms, 0.95)}))
        return
    print(f"tap Continue -> next page painted: p50 {statistics.median(steps):.1f} ms, "
          f"p95 {percentile(steps, 0.95):.1f} ms, max {max(steps):.1f} ms over {len(steps)} taps "
          "(target p95 <= 50 ms)")
    print(f"peak RSS of the kiosk process: {rss_three:.0f} MB after three journeys, "
          f"{rss_end:.0f} MB after {args.rounds * 3} (target <= 150 MB)")
    wipes = driver.wipe_ms
    print(f"wipe at the end of a session -> attract screen painted: p50 {statistics.median(wipes):.1f} ms, "
          f"p95 {percentile(wipes, 0.95):.1f} ms over {len(wipes)} wipes")
    if args.verbose:
        slowest = sorted(zip(driver.step_ms, driver.step_names, strict=True), reverse=True)[:15]
        for ms, name in slowest:
            print(f"  {ms:6.1f} ms  {name}")
    print(environment())


if __name__ == "__main__":
    main()
