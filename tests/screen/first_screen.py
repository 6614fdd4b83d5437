"""The two-stage start-up on a real X server (Xvfb, xcb): the screen as the first stage paints
it, from the settings file alone, and as the full kiosk paints it once loaded, grabbed from the
X server's own pixels and compared. Uses the start-up's own steps (kiosk/boot.py, kiosk/app.py)
in their order, stopping before the kiosk's event loop. Writes a JSON report.

    xvfb-run -a -s '-screen 0 1920x1080x24' .venv/bin/python -m tests.screen.first_screen CONFIG OUT.json
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "xcb"

from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from kiosk.pyside_sources import stop_keeping_sources


def grab(app: QApplication) -> QImage:
    for _ in range(5):
        app.processEvents()
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    return screen.grabWindow(0).toImage().convertToFormat(QImage.Format.Format_RGB32)


def main() -> None:
    config, report = Path(sys.argv[1]), Path(sys.argv[2])
    shots = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    stop_keeping_sources()
    from kiosk.boot import first_look, load_the_rest, show_first_screen

    app = QApplication([])
    look = first_look(config)
    assert look is not None
    first = show_first_screen(app, look)
    before = grab(app)
    waited = load_the_rest(app)
    import qasync

    from kiosk.app import build_kiosk, build_services, show_full_screen
    from kiosk.config import load_settings

    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    services = build_services(load_settings(config))
    window, controller = build_kiosk(app, services)
    controller.end_session("startup")
    show_full_screen(window)
    window.repaint()
    first.close()
    after = grab(app)
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        before.save(str(shots / "first-screen.png"))
        after.save(str(shots / "attract.png"))
    differing = sum(1 for y in range(0, before.height(), 4) for x in range(0, before.width(), 4)
                    if before.pixel(x, y) != after.pixel(x, y)) if before.size() == after.size() else -1
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    report.write_text(json.dumps({
        "platform": QGuiApplication.platformName(),
        "screen": [screen.geometry().width(), screen.geometry().height()],
        "first_painted": first.painted,
        "first_geometry": [first.geometry().width(), first.geometry().height()],
        "window_geometry": [window.geometry().width(), window.geometry().height()],
        "page": window.page.objectName() if window.page is not None else "",
        "differing_pixels": differing,
        "ink_pixels": sum(1 for y in range(0, before.height(), 4) for x in range(0, before.width(), 4)
                          if before.pixel(x, y) != before.pixel(0, before.height() - 1)),
        "longest_input_wait_ms": round(waited),
    }))
    controller.close()
    services.outbox.close()


if __name__ == "__main__":
    main()
