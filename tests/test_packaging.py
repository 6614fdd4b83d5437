"""Packaging, verified for real: the systemd units pass systemd-analyze, and the kiosk session
script starts the app under cage (headless wlroots) to the attract screen."""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNITS = ["council-kiosk.service", "council-hub.service"]
CAGE_USER = "council-kiosk-test"
SHARED_VENV = Path("/var/tmp/council-kiosk-test-venv")


def test_units_pass_systemd_analyze(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.fail("systemd-analyze is missing: scripts/setup-env dev installs the systemd package")
    prefix = tmp_path / "opt" / "council-kiosk"
    (prefix / "packaging" / "cage").mkdir(parents=True)
    (prefix / ".venv" / "bin").mkdir(parents=True)
    shutil.copy(ROOT / "packaging" / "cage" / "kiosk-session", prefix / "packaging" / "cage" / "kiosk-session")
    os.symlink(shutil.which("python3") or "/usr/bin/python3", prefix / ".venv" / "bin" / "python")
    units = tmp_path / "units"
    units.mkdir()
    for unit in UNITS:
        text = (ROOT / "packaging" / "systemd" / unit).read_text()
        assert "/opt/council-kiosk" in text
        (units / unit).write_text(text.replace("/opt/council-kiosk", str(prefix)))
    result = subprocess.run(["systemd-analyze", "verify", *UNITS], cwd=units, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # warnings (unknown keys, bad values) count too


def test_kiosk_unit_promises() -> None:
    unit = (ROOT / "packaging" / "systemd" / "council-kiosk.service").read_text()
    for line in ("Type=notify", "NotifyAccess=all", "Restart=always", "WatchdogSec=30", "User=kiosk",
                 "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "RestartPreventExitStatus=64"):
        assert line in unit.splitlines(), line
    session = (ROOT / "packaging" / "cage" / "kiosk-session").read_text()
    command = next(line for line in session.splitlines() if line.startswith("exec cage"))
    assert command.startswith("exec cage -d --") and " -s" not in command  # no VT switching


def requirements_hash() -> str:
    """Of requirements.txt and the file it includes (a change to either rebuilds the venv)."""
    return hashlib.sha256(b"".join((ROOT / name).read_bytes()
                                   for name in ("requirements.txt", "requirements-hub.txt"))).hexdigest()


@pytest.fixture
def cage_prefix() -> Iterator[Path]:
    """The app installed the way install-kiosk.sh does it, somewhere the kiosk user can read."""
    if os.geteuid() != 0:
        pytest.skip("needs root to make the kiosk user (CI runs as root)")
    if shutil.which("cage") is None:
        pytest.fail("cage is missing: scripts/setup-env dev installs it")
    try:
        pwd.getpwnam(CAGE_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", CAGE_USER],
                       check=True)
    stamp = SHARED_VENV / ".requirements"
    if not stamp.exists() or stamp.read_text() != requirements_hash():
        # A venv from Debian's python3, which other users can run (a venv of a Python under
        # /root cannot be). Kept between runs; rebuilt when requirements.txt changes.
        shutil.rmtree(SHARED_VENV, ignore_errors=True)
        subprocess.run(["/usr/bin/python3", "-m", "venv", str(SHARED_VENV)], check=True, timeout=300)
        subprocess.run([str(SHARED_VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "-r",
                        str(ROOT / "requirements.txt")], check=True, timeout=1800)
        stamp.write_text(requirements_hash())
    prefix = Path("/var/tmp") / f"council-kiosk-cage-{uuid.uuid4().hex[:8]}"
    for part in ("kiosk", "accessibility", "config", "packaging"):
        shutil.copytree(ROOT / part, prefix / part, ignore=shutil.ignore_patterns("__pycache__"))
    os.symlink(SHARED_VENV, prefix / ".venv")
    os.chmod(prefix, 0o755)
    try:
        yield prefix
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def test_kiosk_session_reaches_the_attract_screen_under_cage(cage_prefix: Path) -> None:
    user = pwd.getpwnam(CAGE_USER)
    run_dir = cage_prefix / "run"
    state = cage_prefix / "state"
    for d in (run_dir, state):
        d.mkdir()
        os.chown(d, user.pw_uid, user.pw_gid)
        os.chmod(d, 0o700)
    (cage_prefix / "token").write_text("kt_cage")
    config = cage_prefix / "kiosk.toml"
    config.write_text(
        f'kiosk_id = "cage-kiosk"\nsite = "test"\nstate_dir = "{state}"\n'
        f'journeys_dir = "{cage_prefix / "config" / "journeys"}"\n'
        f'[hub]\nurl = "http://127.0.0.1:9"\ndevice_token_file = "{cage_prefix / "token"}"\n'
        f'[outbox]\nkey = "q3Jm7vT1cXk9Wb2Yp5Nd8Rf0Hs4Lg6Az-Ue1Io3Ky7M="\n'
    )
    for path in cage_prefix.rglob("*"):
        if not path.is_symlink() and path.parent not in (run_dir, state):
            path.chmod(path.stat().st_mode | 0o044 | (0o011 if path.is_dir() or os.access(path, os.X_OK) else 0))
    notify_path = cage_prefix / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:
        notify.bind(str(notify_path))
        os.chmod(notify_path, 0o777)
        notify.settimeout(60)
        env = {
            "PATH": "/usr/bin:/bin", "HOME": str(run_dir), "XDG_RUNTIME_DIR": str(run_dir),
            "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman",
            "KIOSK_PREFIX": str(cage_prefix), "NOTIFY_SOCKET": str(notify_path),
        }
        log_path = cage_prefix / "session.log"
        with log_path.open("wb") as log:
            session = subprocess.Popen(
                ["runuser", "-u", CAGE_USER, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()],
                 str(cage_prefix / "packaging" / "cage" / "kiosk-session"), str(config)],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        try:
            try:
                first = notify.recv(4096).decode()
                # The first word systemd gets is the kiosk's own READY at the attract screen: no
                # helper it started (a D-Bus daemon for accessibility, say) may say READY first.
                assert first == "READY=1\nSTATUS=At the attract screen", first
            except TimeoutError:
                pytest.fail("no READY=1 within 60 s:\n" + log_path.read_text()[-3000:])
        finally:
            os.killpg(session.pid, signal.SIGTERM)
            session.wait(timeout=20)
    lines = [json.loads(x) for x in log_path.read_text().splitlines() if x.startswith("{")]
    ready = [x for x in lines if x["msg"] == "kiosk ready at the attract screen"]
    assert ready and ready[0]["platform"] == "wayland", log_path.read_text()[-3000:]
