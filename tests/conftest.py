"""Shared fixtures: an offscreen Qt app on a qasync loop, a real hub on loopback, a kiosk."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from tests.hubserver import HubServer, start_hub
from tests.resident import Kiosk, make_kiosk

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def qasync_loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """One qasync loop for the whole run, driven by the Qt loop that pytest-qt spins.

    Never stopped in teardown: stopping it would quit the application.
    """
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    return loop


@pytest.fixture(scope="session")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubServer]:
    server = start_hub(tmp_path_factory.mktemp("hub"))
    yield server
    server.stop()


@pytest.fixture
def kiosk(qtbot, qasync_loop, hub: HubServer, tmp_path: Path) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    k = make_kiosk(qtbot, hub, tmp_path)
    yield k
    k.close()
