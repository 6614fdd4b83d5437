"""Render the main screens to PNG (for people to look at) and check nothing is unnamed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication

from tests.resident import Kiosk

SHOTS = os.environ.get("KIOSK_SHOTS_DIR")


def shoot(kiosk: Kiosk, name: str, tmp_path: Path) -> None:
    out = Path(SHOTS) if SHOTS else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    kiosk.qtbot.waitUntil(lambda: kiosk.window.isVisible(), timeout=2000)
    for _ in range(3):  # as the running app would: pending layouts settle before anything paints
        QApplication.processEvents()
    assert kiosk.window.grab().save(str(out / f"{name}.png"))


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
    kiosk.cont()
    kiosk.wait_heading("Which bin was missed?")
    kiosk.cont()
    kiosk.qtbot.waitUntil(lambda: bool(kiosk.errors()))
    shoot(kiosk, f"{tag}-choice-error", tmp_path)
    kiosk.choose("bin_type", "general")
    kiosk.cont()
    kiosk.date("when", "31", "2", "")
    kiosk.cont()
    kiosk.qtbot.waitUntil(lambda: bool(kiosk.errors()))
    shoot(kiosk, f"{tag}-date-error", tmp_path)

    kiosk.tap("handoff")
    kiosk.wait_page("handoff_page")
    shoot(kiosk, f"{tag}-handoff", tmp_path)
    kiosk.tap("done")
    kiosk.wait_page("attract_page")
