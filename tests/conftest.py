"""Shared fixtures: an offscreen Qt app on a qasync loop, a real hub on loopback, a kiosk."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import asyncio
import gc
import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from kiosk.logs import setup_logging
from tests.hubserver import POSTGRES_PORT, HubServer, start_hub
from tests.pgserver import postgres
from tests.resident import Kiosk, make_kiosk

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def qasync_loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """One qasync loop for the whole run, driven by the Qt loop that pytest-qt spins.

    Never stopped in teardown: stopping it would quit the application.
    """
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    # As in the kiosk (kiosk.app.collect_on_qt_thread): cycles are collected on the Qt thread
    # only. Here the hub runs in a thread of this process; a collection started there would
    # destroy a kiosk's Qt objects off the Qt thread (seen: a deadlock in QWidget.setLayout).
    gc.disable()
    return loop


#: The hub's tests: ./run-tests runs them again with the hub on PostgreSQL (``-m hub``).
HUB_MODULES = {
    "test_hub_api", "test_hub_edges", "test_insight", "test_open311", "test_connectors", "test_permissions",
    "test_signin_guard", "test_api_fuzz", "test_handoff", "test_assist", "test_taster", "test_send_link",
    "test_staff_pages", "test_migrations", "test_fleet", "test_council_scale", "test_journey_versions", "test_intake",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__.rpartition(".")[2] in HUB_MODULES:
            item.add_marker(pytest.mark.hub)


@pytest.fixture(scope="session", autouse=True)
def hub_database() -> Iterator[str]:
    """Which database the run's hubs use: SQLite files, or, with HUB_TEST_DATABASE=postgresql
    (./run-tests' second pass), a PostgreSQL server started for the run and stopped after it."""
    if os.environ.get("HUB_TEST_DATABASE", "sqlite") != "postgresql":
        yield "sqlite"
        return
    with postgres() as server:
        os.environ[POSTGRES_PORT] = str(server.port)
        try:
            yield "postgresql"
        finally:
            del os.environ[POSTGRES_PORT]


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
    gc.collect()


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The app's own log set-up (JSON lines, httpx quietened), written to a buffer."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, {n: logging.getLogger(n).level for n in ("httpx", "httpcore")})
    handler = setup_logging(logging.DEBUG)
    buffer = io.StringIO()
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    yield buffer
    root.handlers, root.level = saved[0], saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)
