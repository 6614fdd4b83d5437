"""Drive the real kiosk widgets the way a resident would: tap, type, read the screen."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from kiosk.app import build_kiosk, build_services
from kiosk.config import HubLink, KioskSettings, OutboxSettings
from kiosk.controller import KioskController, Services
from kiosk.outbox import Outbox
from kiosk.views.scrolling import scroll_area_of
from kiosk.views.window import KioskWindow
from tests.hubserver import HubServer

ROOT = Path(__file__).resolve().parent.parent
OUTBOX_KEY = "q3Jm7vT1cXk9Wb2Yp5Nd8Rf0Hs4Lg6Az-Ue1Io3Ky7M="


def offline_kiosk_config(tmp: Path, kiosk_id: str) -> Path:
    """A kiosk settings file with no hub to reach: what a resident sends waits in the outbox."""
    (tmp / "token").write_text("kt_none")
    config = tmp / "kiosk.toml"
    config.write_text(
        f'kiosk_id = "{kiosk_id}"\nsite = "test"\n'
        f'state_dir = "{tmp / "state"}"\njourneys_dir = "{ROOT / "config" / "journeys"}"\n'
        f'[hub]\nurl = "http://127.0.0.1:9"\ndevice_token_file = "{tmp / "token"}"\n'
        f'[outbox]\nkey = "{OUTBOX_KEY}"\n'
    )
    return config


def queued_submissions(state_dir: Path) -> list[dict[str, Any]]:
    """Every submission in a kiosk's outbox, including what waits for a retry."""
    outbox = Outbox(state_dir / "outbox.sqlite3", OUTBOX_KEY)
    try:
        return [item.payload for item in outbox.due(now=1e12) if item.kind == "submission"]
    finally:
        outbox.close()


def kiosk_settings(tmp: Path, hub_url: str, token: str, journeys_dir: Path | None = None) -> KioskSettings:
    tmp.mkdir(parents=True, exist_ok=True)
    token_file = tmp / "device-token"
    token_file.write_text(token)
    return KioskSettings(
        kiosk_id="test-kiosk",
        site="test-site",
        state_dir=tmp / "state",
        journeys_dir=journeys_dir or ROOT / "config" / "journeys",
        places_file=ROOT / "config" / "demo" / "places.toml",
        # The shipped lessons practise the shipped journeys: none with a test's own journeys.
        lessons_dir=ROOT / "config" / "lessons" if journeys_dir is None else None,
        languages_dir=ROOT / "config" / "i18n",
        hub=HubLink(url=hub_url, device_token_file=token_file, connect_timeout_seconds=2, read_timeout_seconds=5),
        outbox=OutboxSettings(key=OUTBOX_KEY, first_retry_seconds=0.2, max_retry_seconds=1.0),
        speech_engine="mock",
    )


def _chain(w: QWidget | None) -> str:
    names = []
    while w is not None:
        names.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return " in ".join(names) or "nothing"


@dataclass
class Kiosk:
    qtbot: Any
    window: KioskWindow
    controller: KioskController
    services: Services
    hub: HubServer | None
    worker_task: asyncio.Task[None]
    #: Buttons tapped so far (each ``tap``), to count what a journey asks of a resident.
    taps: int = 0

    @property
    def settings(self) -> KioskSettings:
        return self.services.settings

    # ---- reading the screen -----------------------------------------------------------
    @property
    def page(self) -> QWidget:
        page = self.window.page
        assert page is not None
        return page

    def page_name(self) -> str:
        return self.page.objectName()

    def heading(self) -> str:
        lab = self.page.findChild(QLabel, "page_heading")
        return lab.text() if lab is not None else ""

    def texts(self) -> list[str]:
        return [w.text() for w in self.page.findChildren(QLabel) if w.isVisibleTo(self.page)]

    def label_text(self, name: str) -> str:
        """The text as read on screen (without the invisible break hints some labels carry)."""
        return str(self.widget(QLabel, name).text()).replace("\u200b", "")

    def errors(self) -> list[str]:
        return [w.text() for w in self.page.findChildren(QAbstractButton) if w.objectName().startswith("error_link")]

    def widget(self, cls: type, name: str) -> Any:
        """The named widget on what the resident can see: overlay, page, top bar, keyboard."""
        w = None
        for area in (self.window.overlay, self.window.page, self.window.action_slot, self.window.topbar,
                     self.window.taster_banner,
                     self.window.assist, self.window.keyboard):
            if area is not None and area.isVisible():
                # Prefer what is on screen: a replaced widget may linger, hidden, until deleted.
                found = area.findChildren(cls, name)
                w = next((f for f in found if f.isVisible()), found[0] if found else None)
                if w is not None:
                    break
        assert w is not None, f"no {cls.__name__} called {name!r} on {self.page_name()}; headings: {self.heading()!r}"
        return w

    # ---- acting -------------------------------------------------------------------
    def _bring_into_view(self, w: QWidget) -> None:
        area = scroll_area_of(w)
        if area is not None:
            area.ensureWidgetVisible(w, 10, 10)

    @property
    def handle(self) -> QWindow:
        """The kiosk window's ``QWindow``: where the display delivers touches, clicks and keys."""
        handle = self.window.windowHandle()
        assert handle is not None, "the kiosk window has not been shown"
        return handle

    def click_at(self, w: QWidget, pos: QPoint | None = None, button: Qt.MouseButton = Qt.MouseButton.LeftButton
                 ) -> None:
        """A click where ``w`` is on the screen (``pos`` inside it; its centre by default), given
        to the window as the display gives a finger's: the window's input watchers see it first
        (kiosk/app_events.py), and it reaches whatever is on top at that point."""
        point = self._on_top(w, pos if pos is not None else QPoint(w.width() // 2, w.height() // 2))
        QTest.mouseClick(self.handle, button, Qt.KeyboardModifier.NoModifier, point)

    def _on_top(self, w: QWidget, pos: QPoint) -> QPoint:
        """Where ``pos`` in ``w`` is in the window, once layouts have settled (a finger comes
        later than a test does); fails if something else is on top there."""
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self._bring_into_view(w)
        point = w.mapTo(self.window, pos)
        top = self.window.childAt(point)
        assert top is not None and (top is w or w.isAncestorOf(top)), (
            f"{w.objectName() or type(w).__name__} is not on top at {point.x()},{point.y()}: "
            f"{_chain(top)} is{self._overlay_said()}")
        return point

    def _overlay_said(self) -> str:
        heading = self.window.overlay.findChild(QLabel, "overlay_heading") if self.window.overlay else None
        return f" (an overlay: {heading.text()!r})" if heading is not None else ""

    def press(self, w: QWidget, pos: QPoint) -> None:
        QTest.mousePress(self.handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, self._on_top(w, pos))

    def release(self, w: QWidget, pos: QPoint) -> None:
        QTest.mouseRelease(self.handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           w.mapTo(self.window, pos))

    def key(self, key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        """A key pressed on a physical keyboard or keypad: to the window, then the focused control."""
        QTest.keyClick(self.handle, key, mods)

    def tap(self, name: str) -> None:
        """Tap a button (by object name) where it is on screen, like a finger would."""
        w = self.widget(QAbstractButton, name)
        assert w.isVisible(), f"{name} is not visible"
        assert w.isEnabled(), f"{name} is disabled"
        self.taps += 1
        if self.controller.narrator.enabled:  # explore-by-touch: the first tap only speaks
            self.click_at(w)
        self.click_at(w)

    def type(self, name: str, text: str, clear: bool = True) -> None:
        """Focus a text box by tapping it and type on a physical keyboard."""
        w = self.widget(QWidget, name)
        assert isinstance(w, (QLineEdit, QPlainTextEdit)), name
        # Near its top: a tall box is scrolled to its cursor, and its foot may be out of view.
        self.click_at(w, QPoint(w.width() // 2, min(w.height() // 2, 24)))
        if clear:
            w.selectAll()
            self.qtbot.keyClick(w, Qt.Key.Key_Backspace)
        for i, line in enumerate(text.split("\n")):
            if i:
                self.qtbot.keyClick(w, Qt.Key.Key_Return)
            self.qtbot.keyClicks(w, line)

    def wait_page(self, name: str, timeout: int = 5000) -> None:
        self.qtbot.waitUntil(lambda: self.window.page is not None and self.page_name() == name, timeout=timeout)

    def wait_heading(self, text: str, timeout: int = 5000) -> None:
        self.qtbot.waitUntil(lambda: self.heading() == text, timeout=timeout)

    def start(self, journey_id: str) -> None:
        self.controller.end_session()
        self.tap("attract_start")
        self.wait_page("home_page")
        self.tap(f"tile_{journey_id}")

    def cont(self) -> None:
        self.tap("continue")

    def choose(self, step: str, value: str) -> None:
        self.tap(f"option_{step}_{value}")

    def find_address(self, step: str, postcode: str, index: int = 0) -> None:
        self.type(f"input_{step}_postcode", postcode)
        self.tap(f"find_{step}")
        self.qtbot.waitUntil(lambda: any(b.isVisible() for b in
                                         self.page.findChildren(QAbstractButton, f"address_{step}_{index}")),
                             timeout=5000)
        self.tap(f"address_{step}_{index}")

    def date(self, step: str, day: str, month: str, year: str) -> None:
        """Type a date; where the page offers "Today" and "Yesterday", first choose Another date."""
        other = self.page.findChildren(QAbstractButton, f"date_{step}_other")
        if other and not self.page.findChildren(QLineEdit, f"input_{step}_day")[0].isVisible():
            self.tap(f"date_{step}_other")
        self.type(f"input_{step}_day", day)
        self.type(f"input_{step}_month", month)
        self.type(f"input_{step}_year", year)

    def typed_address(self, step: str, line1: str = "1 High Street", town: str = "Stockton-on-Tees",
                      postcode: str = "TS18 1AU") -> None:
        """Choose "My address is not listed" and type the address (no look-up needed)."""
        self.tap(f"manual_{step}")
        self.type(f"input_{step}_manual_line1", line1)
        self.type(f"input_{step}_manual_town", town)
        self.type(f"input_{step}_manual_postcode", postcode)
        self.cont()

    def report_missed_bin(self) -> str:
        """A quick missed-bin report with a typed-in address; returns the reference shown."""
        self.start("missed-bin")
        self.wait_heading("What is the address of the missed bin?")
        self.typed_address("address")
        self.choose("bin_type", "general")
        return self.send_missed_bin_from_date()

    def send_missed_bin_from_date(self) -> str:
        """From "When was your bin due?" to the confirmation, optional answers skipped."""
        self.date("when", "1", "11", "2026")
        self.cont()
        self.choose("where_left", "kerbside")
        self.cont()
        self.cont()
        self.wait_page("check_answers")
        self.tap("continue")
        self.wait_page("confirmation")
        return self.label_text("reference")

    def close(self) -> None:
        self.controller.end_session()
        self.controller.tasks.cancel_all()
        self.worker_task.cancel()
        self.qtbot.waitUntil(self.worker_task.done, timeout=5000)
        closing = asyncio.ensure_future(self.services.client.aclose())
        self.qtbot.waitUntil(closing.done, timeout=5000)
        self.controller.close()
        self.window.allow_close = True  # qtbot closes and deletes the window after the test
        self.services.outbox.close()


def make_kiosk(qtbot: Any, hub: HubServer | None, tmp: Path, hub_url: str | None = None,
               token: str | None = None, journeys_dir: Path | None = None) -> Kiosk:
    settings = kiosk_settings(tmp, hub_url or (hub.url if hub else "http://127.0.0.1:9"),
                              token or (hub.token if hub else "kt_none"), journeys_dir)
    return kiosk_from(qtbot, settings, hub)


def kiosk_from(qtbot: Any, settings: KioskSettings, hub: HubServer | None = None) -> Kiosk:
    """A kiosk on these settings, at 1920x1080, just (re)started."""
    services = build_services(settings)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window, controller = build_kiosk(app, services)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    controller.end_session("startup")  # a (re)start is a wipe too: clean screen, no temp files
    return Kiosk(qtbot, window, controller, services, hub, asyncio.ensure_future(services.worker.run()))
