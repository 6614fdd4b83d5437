"""Start-up in two stages (kiosk/boot.py): the attract screen painted from the settings file
alone is the same, pixel for pixel, as the one the full kiosk draws; a touch made on it before
the kiosk is ready is answered at once and acted on when it is; bad settings still stop the
kiosk with the file, the key and the problem."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.boot import FirstScreen, first_look, show_first_screen
from kiosk.config import load_settings
from tests.resident import kiosk_from

ROOT = Path(__file__).resolve().parent.parent
DEMO = (ROOT / "config" / "demo" / "kiosk.toml").read_text()
SIZE = (1920, 1080)
SHOTS = os.environ.get("KIOSK_SHOTS_DIR")


def demo_config(tmp: Path, text: str = DEMO) -> Path:
    """The demo's settings (lessons, languages, messages, logo), with its own state and token."""
    (tmp / "token").write_text("kt_first_screen\n")
    path = tmp / "kiosk.toml"
    folder = (ROOT / "config" / "demo").as_posix()
    text = (text.replace('"../../.demo/device-token"', '"token"').replace('"../../.demo/kiosk-state"', '"state"')
            .replace('"../', f'"{folder}/../').replace('"places.toml"', f'"{folder}/places.toml"'))
    path.write_text(text)
    return path


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    qapp.setStyleSheet("")


def shown(first: FirstScreen) -> FirstScreen:
    first.resize(*SIZE)
    first.page.focus_start()
    QApplication.processEvents()
    return first


@pytest.mark.parametrize("screen", ["1920x1080", "1080x1920"], ids=["landscape", "portrait"])
def test_the_first_screen_is_the_attract_screen_pixel_for_pixel(tmp_path: Path, screen: str) -> None:
    """On a real X server: what the first stage paints from the settings file alone is what the
    loaded kiosk paints, every pixel, and both fill the screen."""
    if shutil.which("xvfb-run") is None:
        pytest.fail("xvfb-run is missing: scripts/setup-env dev installs it")
    config, report = demo_config(tmp_path), tmp_path / "report.json"
    shots = [str(Path(SHOTS) / f"first-screen-{screen}")] if SHOTS else []
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable, "-m",
                             "tests.screen.first_screen", str(config), str(report), *shots],
                            capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    found = json.loads(report.read_text())
    size = [int(n) for n in screen.split("x")]
    assert found["platform"] == "xcb" and found["screen"] == size
    assert found["first_painted"] and found["first_geometry"] == size and found["window_geometry"] == size
    assert found["page"] == "attract_page"
    assert found["ink_pixels"] > 500  # something was drawn: the council's name, the invitation...
    assert found["differing_pixels"] == 0


def test_a_touch_before_the_kiosk_is_ready_says_one_moment_and_is_acted_on(qtbot, qasync_loop,  # type: ignore[no-untyped-def]
                                                                            app: QApplication,
                                                                            tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    look = first_look(config)
    assert look is not None
    first = shown(show_first_screen(app, look))
    first.page.target.click()
    invitation = first.page.findChild(QLabel, "attract_invitation")
    assert invitation is not None and invitation.text() == "One moment…"
    assert first.touched == "attract_start"
    kiosk = kiosk_from(qtbot, load_settings(config))
    try:
        first.replay(kiosk.window.page)
        kiosk.wait_page("home_page")
    finally:
        first.close()
        first.deleteLater()
        kiosk.close()


def test_closed_hours_are_on_the_first_screen_too(app: QApplication, tmp_path: Path) -> None:
    today = dt.datetime.now().strftime("%A").lower()
    config = demo_config(tmp_path, DEMO + f'\n[opening_hours]\n{today} = "closed"\n')
    look = first_look(config)
    assert look is not None
    first = shown(show_first_screen(app, look))
    try:
        assert first.page.objectName() == "closed_page"
        names = {lab.objectName(): lab.text() for lab in first.page.findChildren(QLabel)}
        assert names["closed_title"] == "This kiosk is closed"
        assert f"{today.capitalize()}: closed" in names.values()
    finally:
        first.close()
        first.deleteLater()


def test_bad_settings_still_stop_the_kiosk_with_the_key_and_the_problem(tmp_path: Path) -> None:
    config = demo_config(tmp_path, DEMO.replace("touch_only = false", 'touch_only = "sometimes"'))
    result = subprocess.run([sys.executable, "-m", "kiosk", "run", "--config", str(config)], capture_output=True,
                            text=True, cwd=ROOT, timeout=60, env={"QT_QPA_PLATFORM": "offscreen",
                                                                  "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert f"kiosk: {config}: touch_only: Input should be a valid boolean" in result.stderr
    assert '"first screen painted"' in result.stdout  # the attract screen came first, and went
