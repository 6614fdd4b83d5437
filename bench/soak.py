"""Memory over many resident sessions in one kiosk process: does anything stay behind?

    .venv/bin/python -m bench.soak [--sessions 1100] [--every 100]

Drives the real widgets (offscreen, 1920x1080) against a hub process, through a repeating mix
of what residents do: report a missed bin (address look-up, submission, the "why" question),
find free WiFi (a look-up, then Finish), and start a fly-tipping report, type, then "Start
again". Every session ends through the kiosk's own wipe. Prints, every ``--every`` sessions,
the resident set size, Python's live objects and Qt's live widgets, then the growth per 1,000
sessions after the first 100 (target: at most 5 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import tempfile
import types
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtWidgets import QApplication

from bench.harness import environment, hub_process, kiosk_config, wait_for
from bench.journeys import Driver
from kiosk.app import build_as_run
from kiosk.config import load_settings


@dataclass(frozen=True)
class Sample:
    sessions: int
    rss_mb: float
    #: Every object the garbage collector tracks (asyncio's timers and sqlite3's cursor
    #: references come and go with time, so this moves by a few hundred either way).
    objects: int
    #: Objects of the kiosk's own classes and of Qt's, its functions (lambdas a signal keeps),
    #: and live weak references to any of them: what a per-session leak is made of.
    ours: int
    widgets: int


def rss_mb() -> float:
    """Resident set size now (not the peak), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


OURS = ("kiosk", "accessibility", "PySide6", "shiboken6")


def _module(o: object) -> str:
    name = getattr(o, "__module__", "")
    return name if isinstance(name, str) else ""


def _ours(o: object) -> bool:
    if isinstance(o, weakref.ref):
        target = o()
        return target is not None and _module(type(target)).startswith(OURS)
    if isinstance(o, types.FunctionType):
        return _module(o).startswith(OURS)
    return _module(type(o)).startswith(OURS)


def count_objects() -> tuple[int, int]:
    objects = gc.get_objects()
    return len(objects), sum(1 for o in objects if _ours(o))


def sample(d: Driver, sessions: int) -> Sample:
    # Counted with nothing in flight: a send to the hub holds its batch (items and messages)
    # until the hub answers, which is not a leak.
    outbox = d.controller.services.outbox
    # Usage events queued since the last send wait for the worker's next pass (up to a minute,
    # or the next submission): written and sent now.
    d.controller.shell.events.flush()
    d.controller.services.worker.wake()
    wait_for(lambda: all(outbox.depth(kind) == 0 for kind in ("submission", "event", "audit", "taster")),
             20, "the outbox to empty", d.spin)
    for _ in range(3):
        d.spin()
    gc.collect()
    objects, ours = count_objects()
    return Sample(sessions, rss_mb(), objects, ours, len(QApplication.allWidgets()))


def to_attract(d: Driver) -> None:
    page_is(d, "attract_page")


def page_is(d: Driver, name: str) -> None:
    wait_for(lambda: d.window.page is not None and d.window.page.objectName() == name, 10, name, d.spin)


def finish_with_why(d: Driver, why: str = "other") -> None:
    """Finish, then answer the optional question (asked once per session)."""
    d.tap("finish")
    page_is(d, "why")
    d.tap(f"action_why_{why}")
    to_attract(d)


def missed_bin(d: Driver) -> None:
    d.tap("attract_start")
    d.tap("tile_missed-bin")
    d.address("address", "TS18 1AU")
    d.tap("option_bin_type_general")
    d.tap("date_when_yesterday")
    d.tap("option_where_left_kerbside")
    d.cont()
    d.cont()
    d.finish()
    finish_with_why(d)


def free_wifi(d: Driver) -> None:
    d.tap("attract_start")
    d.tap("tile_free-wifi")
    d.tap("option_need_wifi")
    page_is(d, "result")
    finish_with_why(d, "no_internet")


def start_again(d: Driver) -> None:
    d.tap("attract_start")
    d.tap("tile_fly-tipping")
    d.tap("manual_where")
    d.type("input_where_manual_line1", "Zqxv canary lane")
    d.tap("start_again")
    d.tap("overlay_confirm")
    to_attract(d)


SESSIONS: tuple[Callable[[Driver], None], ...] = (missed_bin, free_wifi, start_again)


def run(d: Driver, count: int, every: int, report: Callable[[Sample], None]) -> list[Sample]:
    samples = [sample(d, 0)]
    report(samples[0])
    for i in range(1, count + 1):
        SESSIONS[(i - 1) % len(SESSIONS)](d)
        if i % every == 0:
            samples.append(sample(d, i))
            report(samples[-1])
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=1100)
    parser.add_argument("--every", type=int, default=100)
    args = parser.parse_args()
    app = QApplication([])
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp, hub_process(Path(tmp) / "hub") as hub:
        services, window, controller = build_as_run(app, load_settings(kiosk_config(Path(tmp), hub)))
        window.resize(1920, 1080)
        window.show()
        controller.end_session("startup")
        worker = asyncio.ensure_future(services.worker.run())
        driver = Driver(app, window, controller)
        print(f"{'sessions':>8} {'RSS MB':>8} {'objects':>9} {'kiosk+Qt':>9} {'widgets':>8}")
        samples = run(driver, args.sessions, args.every, lambda s: print(
            f"{s.sessions:8d} {s.rss_mb:8.1f} {s.objects:9d} {s.ours:9d} {s.widgets:8d}", flush=True))
        worker.cancel()
        controller.close()
    first = next((s for s in samples if s.sessions >= 100), samples[0])
    last = samples[-1]
    if last.sessions > first.sessions:
        per_k = 1000 / (last.sessions - first.sessions)
        print(f"after the first {first.sessions} sessions, per 1,000 sessions: "
              f"RSS {(last.rss_mb - first.rss_mb) * per_k:+.1f} MB (target <= +5 MB), "
              f"Python objects {(last.objects - first.objects) * per_k:+.0f} "
              f"(of the kiosk and Qt {(last.ours - first.ours) * per_k:+.0f}), "
              f"widgets {(last.widgets - first.widgets) * per_k:+.0f}")
    print(environment())


if __name__ == "__main__":
    main()
