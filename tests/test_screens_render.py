"""Render the main screens to PNG (for people to look at), and check that every control on
screen has a name a screen reader can say and a visible label."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QPlainTextEdit, QWidget

from tests.resident import Kiosk

SHOTS = os.environ.get("KIOSK_SHOTS_DIR")


def shoot(kiosk: Kiosk, name: str, tmp_path: Path) -> None:
    out = Path(SHOTS) if SHOTS else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    kiosk.qtbot.waitUntil(lambda: kiosk.window.isVisible(), timeout=2000)
    for _ in range(3):  # as the running app would: pending layouts settle before anything paints
        QApplication.processEvents()
    assert kiosk.window.grab().save(str(out / f"{name}.png"))
    unnamed = [f"{type(w).__name__} {w.objectName()!r}" for w in controls_on_screen(kiosk)
               if not w.accessibleName().strip()]
    assert unnamed == [], f"{name}: controls a screen reader cannot name"
    unlabelled = [w.objectName() for w in controls_on_screen(kiosk)
                  if isinstance(w, QAbstractButton) and not w.text().strip() and w.icon().isNull()
                  and not any(lab.isVisible() and lab.text().strip() for lab in w.findChildren(QLabel))]
    assert unlabelled == [], f"{name}: buttons with nothing to see on them"


def controls_on_screen(kiosk: Kiosk) -> list[QWidget]:
    return [w for w in kiosk.window.findChildren(QWidget)
            if isinstance(w, (QAbstractButton, QLineEdit, QPlainTextEdit)) and w.isVisible()]


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_render_main_screens(kiosk: Kiosk, tmp_path: Path, size: tuple[int, int]) -> None:
    kiosk.window.resize(*size)
    tag = "landscape" if size[0] > size[1] else "portrait"
    shoot(kiosk, f"{tag}-attract", tmp_path)
    kiosk.tap("attract_start")
    kiosk.wait_page("home_page")
    shoot(kiosk, f"{tag}-home", tmp_path)
    kiosk.tap("tile_missed-bin")
    kiosk.wait_heading("What is the address of the missed bin?")
    kiosk.type("input_address_postcode", "TS18 1AU")
    shoot(kiosk, f"{tag}-address-keyboard", tmp_path)
    kiosk.tap("find_address")
    kiosk.qtbot.waitUntil(lambda: any(b.isVisible() for b in kiosk.page.findChildren(QAbstractButton, "address_address_0")))
    shoot(kiosk, f"{tag}-address-list", tmp_path)
    kiosk.tap("address_address_0")
    kiosk.wait_heading("Which bin was missed?")
    shoot(kiosk, f"{tag}-choice", tmp_path)
    kiosk.choose("bin_type", "general")
    kiosk.date("when", "31", "2", "")
    kiosk.cont()
    kiosk.qtbot.waitUntil(lambda: bool(kiosk.errors()))
    shoot(kiosk, f"{tag}-date-error", tmp_path)

    kiosk.tap("handoff")
    kiosk.wait_page("handoff_page")
    shoot(kiosk, f"{tag}-handoff", tmp_path)
    kiosk.tap("done")
    kiosk.wait_page("attract_page")
