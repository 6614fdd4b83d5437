"""Start in two stages: paint the attract screen first, then load the rest while it shows.

Everything the kiosk does needs its settings checked (msgspec), its journeys, lessons and
languages read, a hub client (httpx), an encrypted outbox, speech... about two thirds of the
start-up time, none of it needed to draw the attract screen. So ``kiosk run``:

1. reads the few settings the attract screen shows straight from the TOML (the council's name
   and colour, the messages, opening hours, the languages' own names), imports only Qt and the
   light view modules, and paints the attract (or closed) screen full screen;
2. then loads the rest one module at a time, letting Qt handle input between them: a touch on
   the screen meanwhile says "One moment" at once and is remembered;
3. builds the real window on the same settings (now checked), shows it over the first one, closes
   the first, and replays the remembered touch (start, language, text size, privacy).

Settings that fail the check still end the kiosk with the same message and exit code as
before (the first screen goes first). Nothing here holds a resident's data."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QVBoxLayout, QWidget

from accessibility.display import branded_palette, prepare_app
from accessibility.headings import install_heading_role
from accessibility.themes import theme_for
from kiosk.views.attract import AttractPage
from kiosk.views.style import style_sheet
from kiosk.views.text import tr
from kiosk.workflows.opening_hours import ALWAYS, WEEKDAYS, hours_lines, open_at

log = logging.getLogger("kiosk.boot")

#: Loaded after the first paint, in this order, with Qt's input handled between each.
STAGE_TWO = ("asyncio", "sqlite3", "msgspec", "kiosk.config", "httpx", "kiosk.hub_client", "babel.dates",
             "kiosk.workflows.model", "kiosk.workflows.i18n", "kiosk.workflows.engine", "nacl.secret",
             "kiosk.outbox", "kiosk.views.fields", "kiosk.views.pages", "kiosk.views.window", "qasync",
             "accessibility.speech", "kiosk.flows.assist", "kiosk.flows.taster", "kiosk.controller", "kiosk.app")


@dataclass
class FirstLook:
    """What the attract screen shows, read from the settings file without checking it all."""

    council_name: str = "Demo Borough Council"
    header_colour: str = "#0b0c0c"
    touch_only: bool = False
    messages: list[str] = field(default_factory=list)
    rotate_ms: int = 8000
    week: list[str] = field(default_factory=lambda: [ALWAYS] * 7)
    languages: list[str] = field(default_factory=lambda: ["English"])


def _get(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None  # type: ignore[assignment]
    return data


def _language_name(ui_file: Path) -> tuple[str, str] | None:
    """(English name, own name) from a catalog's [language] table, without reading its texts."""
    try:
        text = ui_file.read_text(encoding="utf-8")
    except OSError:
        return None
    start = text.find("[language]")
    if start < 0:
        return None
    end = text.find("\n[", start + 1)
    try:
        table = tomllib.loads(text[start:end if end > 0 else len(text)]).get("language", {})
    except tomllib.TOMLDecodeError:
        return None
    name, english = table.get("name"), table.get("english_name")
    return (english, name) if isinstance(name, str) and isinstance(english, str) else None


def first_look(config: Path) -> FirstLook | None:
    """None when the file cannot be read at all (the full check then says why)."""
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    look = FirstLook()
    name, colour = _get(data, "branding", "council_name"), _get(data, "branding", "header_colour")
    if isinstance(name, str) and name:
        look.council_name = name
    if isinstance(colour, str) and len(colour) == 7 and colour.startswith("#"):
        look.header_colour = colour
    if isinstance(data.get("touch_only"), bool):
        look.touch_only = data["touch_only"]
    messages, seconds = _get(data, "attract", "messages"), _get(data, "attract", "rotate_seconds")
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        look.messages = messages
    if isinstance(seconds, (int, float)):
        look.rotate_ms = round(seconds * 1000)
    hours = data.get("opening_hours")
    if isinstance(hours, dict):
        look.week = [h if isinstance(h := hours.get(day, ALWAYS), str) else ALWAYS for day in WEEKDAYS]
    folder = data.get("languages_dir")
    if isinstance(folder, str):
        base = Path(folder) if Path(folder).is_absolute() else config.parent / folder
        found = [n for p in sorted(base.glob("*/ui.toml")) if (n := _language_name(p)) is not None]
        look.languages += [own for _, own in sorted(found)]
    return look


class FirstScreen(QWidget):
    """The attract (or closed) screen, on its own, until the real window is ready."""

    drawn = Signal()

    def __init__(self, look: FirstLook, now: dt.datetime) -> None:
        super().__init__()
        self.painted = False
        self.setObjectName("first_screen")
        self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        if self._open(look, now):
            self.page = AttractPage(look.council_name, look.messages, look.rotate_ms, languages=look.languages)
            self.page.start.connect(lambda: self.remember("attract_start"))
            for link in (self.page.language, self.page.accessibility, self.page.privacy):
                link.clicked.connect(lambda _=False, name=link.objectName(): self.remember(name))
        else:
            self.page = AttractPage(look.council_name, closed_hours=hours_lines(look.week, tr))
        lay.addWidget(self.page)
        #: What the resident touched before the kiosk was ready (a button's object name).
        self.touched = ""

    @staticmethod
    def _open(look: FirstLook, now: dt.datetime) -> bool:
        try:
            return open_at(look.week[now.weekday()], now)
        except ValueError:
            return True  # hours the full check will refuse: the kiosk stops there anyway

    def remember(self, name: str) -> None:
        if not self.touched:
            self.touched = name
            invitation = self.page.findChild(QWidget, "attract_invitation")
            if invitation is not None:  # English: no language has been chosen yet
                invitation.setText("One moment…")  # type: ignore[attr-defined]
                invitation.setAccessibleName("One moment…")

    def event(self, e: QEvent) -> bool:
        handled = super().event(e)
        if not self.painted and e.type() == QEvent.Type.UpdateRequest:
            self.painted = True  # drawn, and the backing store flushed to the screen
            self.drawn.emit()
        return handled

    def hand_over(self, page: QWidget | None) -> None:
        """The real window is on the screen: go, and press there what was touched here."""
        self.close()
        self.replay(page)
        self.deleteLater()

    def replay(self, page: QWidget | None) -> None:
        """Press on the real screen what was touched on this one."""
        if self.touched and page is not None:
            target = page.findChild(QAbstractButton, self.touched)
            if target is not None and target.isVisible():
                log.info("touched before the kiosk was ready: pressing it now", extra={"button": self.touched})
                target.click()


def show_first_screen(app: QApplication, look: FirstLook) -> FirstScreen:
    prepare_app(app, look.touch_only)
    install_heading_role(app)
    screen = FirstScreen(look, dt.datetime.now())
    # Its own sheet, as the kiosk window has (accessibility/display.py): the application keeps none.
    screen.setStyleSheet(style_sheet(theme_for("standard", "standard", branded_palette(look.header_colour))))
    primary = QGuiApplication.primaryScreen()
    if primary is not None:
        screen.setGeometry(primary.geometry())
    screen.showFullScreen()
    screen.page.focus_start()  # as the real attract screen does: Enter on a keypad starts
    # Until it is on the screen (or a second has gone: a display that never draws must not stop
    # the kiosk starting).
    waiting = QEventLoop()
    screen.drawn.connect(waiting.quit)
    QTimer.singleShot(1000, waiting.quit)
    if not screen.painted:
        waiting.exec()
    return screen


def load_the_rest(app: QApplication) -> float:
    """Import what the kiosk needs, a module at a time, handling input in between. Returns the
    longest time input waited, in milliseconds."""
    # httpx's command line (click, rich, pygments), which the kiosk never uses, left unloaded.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    longest = 0.0
    for name in STAGE_TWO:
        started = time.perf_counter()
        importlib.import_module(name)
        longest = max(longest, (time.perf_counter() - started) * 1000)
        app.processEvents()
    return longest


def process_age_ms() -> float | None:
    """Milliseconds since this process started (to the kernel's clock tick), for the log."""
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return round((uptime - int(stat[19]) / os.sysconf("SC_CLK_TCK")) * 1000)
    except (OSError, ValueError, IndexError):
        return None


def run_kiosk(config: Path) -> int:
    """``kiosk run``: the first screen, the rest, then the kiosk's own loop (kiosk.app.run)."""
    from kiosk import systemd

    notifier = systemd.Notifier()  # before Qt starts anything that could inherit the socket
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("council-kiosk")
    look = first_look(config)
    first = show_first_screen(app, look) if look is not None else None
    if first is not None:
        log.info("first screen painted", extra={"ms_since_start": process_age_ms(), "painted": first.painted})
    waited = load_the_rest(app)
    from kiosk.config import ConfigError, load_settings, read_token

    try:
        settings = load_settings(config)
        read_token(settings)
    except ConfigError as exc:
        if first is not None:
            first.close()
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    log.info("loaded", extra={"ms_since_start": process_age_ms(), "longest_input_wait_ms": round(waited)})
    from kiosk.app import run

    return run(settings, shown=first.hand_over if first is not None else None, notifier=notifier)
