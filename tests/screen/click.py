"""One tap that acts, with a real pointer: the kiosk full screen on an X server (Xvfb, xcb), a text
question with the on-screen keyboard open, and xdotool moving the X pointer and clicking, as a
finger on a touchscreen would. Prints a JSON line with what happened.

    xvfb-run -a -s '-screen 0 1920x1080x24' .venv/bin/python -m tests.screen.click
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "xcb"

import qasync
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kiosk.app import build_kiosk, build_services, show_full_screen
from tests.resident import kiosk_settings
from tests.screen.measure import global_rect


def main() -> None:
    app = QApplication([])
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    services = build_services(kiosk_settings(Path(tempfile.mkdtemp()), "http://127.0.0.1:9", "kt_none"))
    window, controller = build_kiosk(app, services)
    show_full_screen(window)
    controller.end_session("startup")

    def spin_until(done: Callable[[], bool], seconds: float = 5.0) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            app.processEvents()
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            if done():
                return True
        return done()

    def click(w: QWidget) -> None:
        """The X pointer to the middle of the widget, then a press and, a finger's moment later
        (the kiosk has handled the press meanwhile), the release: a tap, not a synthetic click."""
        spin_until(lambda: False, 0.3)  # drawn and settled where it will be tapped
        centre = global_rect(w).center()
        subprocess.run(["xdotool", "mousemove", "--sync", str(centre.x()), str(centre.y()), "mousedown", "1"],
                       check=True, timeout=10)
        spin_until(lambda: False, 0.15)
        subprocess.run(["xdotool", "mouseup", "1"], check=True, timeout=10)

    def heading() -> str:
        page = window.page
        found = page.findChild(QLabel, "page_heading") if page is not None else None
        return found.text() if found is not None else ""

    controller.session_flow.start_journey("council-tax-move")
    spin_until(lambda: heading() == "What is your full name?")
    box = window.page.findChild(QWidget, "input_name")  # type: ignore[union-attr]
    assert box is not None
    click(box)  # a finger on the box: the keyboard opens
    keyboard_open = spin_until(lambda: window.keyboard.isVisible())
    subprocess.run(["xdotool", "type", "--delay", "20", "Sam Resident"], check=True, timeout=20)
    spin_until(lambda: getattr(box, "text", lambda: "")() == "Sam Resident")
    typed = box.text()  # type: ignore[attr-defined]
    covered = global_rect(window.keyboard).intersects(global_rect(box))
    continue_button = window.action_slot.findChild(QWidget, "continue")
    assert continue_button is not None
    continue_visible = continue_button.isVisible() and not global_rect(window.keyboard).intersects(
        global_rect(continue_button))
    click(continue_button)  # one tap, with the keyboard still open
    moved_on = spin_until(lambda: heading() != "What is your full name?")
    print(json.dumps({"keyboard_open": keyboard_open, "typed": typed, "box_covered": covered,
                      "continue_visible": continue_visible, "moved_on": moved_on, "heading": heading(),
                      "answer": (controller.shell.resident.journey.answers.get("name")
                                 if controller.shell.resident.journey else None)}), flush=True)
    controller.close()
    services.outbox.close()


if __name__ == "__main__":
    main()
