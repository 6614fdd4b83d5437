"""The real kiosk process: systemd notifications, JSON logs, and a kill -9 with a queued
submission, then a restart that delivers it exactly once."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk.outbox import Outbox
from kiosk.workflows.references import new_reference
from tests.hubserver import free_port, start_hub
from tests.resident import OUTBOX_KEY

ROOT = Path(__file__).resolve().parent.parent


def write_config(tmp: Path, hub_url: str, token: str) -> Path:
    (tmp / "token").write_text(token)
    config = tmp / "kiosk.toml"
    config.write_text(
        'kiosk_id = "proc-kiosk"\nsite = "test-site"\n'
        f'state_dir = "{tmp / "state"}"\njourneys_dir = "{ROOT / "config" / "journeys"}"\n'
        f'[hub]\nurl = "{hub_url}"\ndevice_token_file = "{tmp / "token"}"\nconnect_timeout_seconds = 1\n'
        f'[outbox]\nkey = "{OUTBOX_KEY}"\nfirst_retry_seconds = 0.2\nmax_retry_seconds = 0.5\n'
    )
    return config


@contextmanager
def notify_socket(tmp: Path) -> Iterator[socket.socket]:
    path = tmp / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(20)
    try:
        yield sock
    finally:
        sock.close()


def wait_message(sock: socket.socket, wanted: str) -> str:
    """Block (with the socket's timeout) until a datagram containing ``wanted`` arrives."""
    while True:
        message = sock.recv(4096).decode()
        if wanted in message:
            return message


def start_kiosk(config: Path, tmp: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "QT_QPA_PLATFORM": "offscreen",
        "NOTIFY_SOCKET": str(tmp / "notify.sock"),
        "WATCHDOG_USEC": "400000",
        "KIOSK_READY_FILE": str(tmp / "ready"),
        "PYTHONPATH": str(ROOT),
    }
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--config", str(config)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)


@pytest.mark.slow
def test_kill_9_with_a_queued_submission_then_restart_delivers_once(tmp_path: Path) -> None:
    port = free_port()
    token = "kt_" + uuid.uuid4().hex
    config = write_config(tmp_path, f"http://127.0.0.1:{port}", token)
    log = tmp_path / "kiosk.log"
    reference = new_reference()
    with notify_socket(tmp_path) as sock:
        kiosk = start_kiosk(config, tmp_path, log)
        try:
            assert "READY=1" in wait_message(sock, "STATUS=At the attract screen")
            assert (tmp_path / "ready").read_text() == "attract\n"
            # A submission is queued while the hub is down (as after a resident pressed Send).
            outbox = Outbox(tmp_path / "state" / "outbox.sqlite3", OUTBOX_KEY)
            outbox.put("submission", uuid.uuid4().hex, {
                "reference": reference, "journey_id": "missed-bin", "journey_version": 1,
                "channel": "self-service", "submitted_at": "2026-11-25T10:00:00+00:00",
                "answers": {"bin_type": "general", "details": "Zqxvcrashcanary"},
                "summary": [{"question": "Details", "answer": "Zqxvcrashcanary"}],
            })
            wait_message(sock, "WATCHDOG=1")  # alive, pinging from its event loop
            wait_message(sock, "WATCHDOG=1")
            kiosk.send_signal(signal.SIGKILL)
            assert kiosk.wait(timeout=10) == -9
        finally:
            if kiosk.poll() is None:
                kiosk.kill()
        assert outbox.depth() == 1  # nothing lost
        outbox.close()
        for path in (tmp_path / "state").rglob("*"):  # and nothing readable left on disk
            assert not path.is_file() or b"zqxvcrashcanary" not in path.read_bytes().lower(), path

        hub = start_hub(tmp_path / "hub", port=port, token=token)
        try:
            (tmp_path / "ready").unlink()
            kiosk = start_kiosk(config, tmp_path, log)
            try:
                wait_message(sock, "STATUS=At the attract screen")
                assert (tmp_path / "ready").read_text() == "attract\n"
                deadline_checks = 0
                while hub.case(reference) is None:
                    wait_message(sock, "WATCHDOG=1")  # let time pass without sleeping blindly
                    deadline_checks += 1
                    assert deadline_checks < 100, "the queued submission never arrived"
                wait_message(sock, "WATCHDOG=1")
                wait_message(sock, "WATCHDOG=1")
                assert [c.reference for c in hub.cases()] == [reference]  # exactly once
                kiosk.send_signal(signal.SIGTERM)
                assert kiosk.wait(timeout=10) == 0
            finally:
                if kiosk.poll() is None:
                    kiosk.kill()
        finally:
            hub.stop()
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert any(line["msg"] == "kiosk ready at the attract screen" and line["queued"] == 1 for line in lines)
    assert any(line["msg"] == "stopping on signal 15" for line in lines)
    assert all(set(line) >= {"ts", "level", "logger", "msg"} for line in lines)
    assert "zqxvcrashcanary" not in log.read_text().lower()
