"""Shared set-up for the benchmarks: a real hub in its own process, and a kiosk in this one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from kiosk.config import HubLink, KioskSettings, OutboxSettings

ROOT = Path(__file__).resolve().parent.parent
#: How long a resident looks at a page before tapping, at the least (the kiosk's taps in
#: bench.journeys, and the bare window's in bench.versus_bare, come this long after their page).
READING_MS = 300
OUTBOX_KEY = "q3Jm7vT1cXk9Wb2Yp5Nd8Rf0Hs4Lg6Az-Ue1Io3Ky7M="
HUB_KEY = "Uv7cE8m0d0Hqk3J9X5oYb2G8n6P1sRzT4aWfLqVdKiM="


def measuring_child(command: list[str], timeout: int) -> str:
    """What a measuring process (offscreen) printed; if it failed, what it said on stderr, and stop."""
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{' '.join(command[1:3])} failed (exit {out.returncode}): its output is above")
    return out.stdout


@dataclass
class Hub:
    url: str
    token: str
    workdir: Path
    #: Every process's address when several serve one database (``url`` is the first).
    urls: tuple[str, ...] = ()
    pids: tuple[int, ...] = ()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def hub_process(workdir: Path, port: int | None = None, database_url: str | None = None,
                processes: int = 1) -> Iterator[Hub]:
    """``hub serve`` as a subprocess (or ``processes`` of them on one database, each on its own
    port, as behind a reverse proxy), with the demo gazetteer and a device token (made once per
    working folder, so a hub started again in the same folder is the same hub)."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "hub.toml"
    url = database_url or f"sqlite:///{workdir / 'hub.sqlite3'}"
    config.write_text(
        f'database_url = "{url}"\n'
        f'data_key = "{HUB_KEY}"\n'
        f'journeys_dir = "{ROOT / "config" / "journeys"}"\n'
    )
    py = sys.executable
    run = [py, "-m", "hub", "--config", str(config)]
    token_file = workdir / "token"
    if not token_file.exists():
        subprocess.run([*run, "load-gazetteer", str(ROOT / "config" / "demo" / "gazetteer.csv")], check=True,
                       cwd=ROOT, capture_output=True)
        subprocess.run([*run, "create-token", "bench-kiosk", "--site", "bench", "--token-file", str(token_file)],
                       check=True, cwd=ROOT, capture_output=True)
    ports = [port or free_port()] + [free_port() for _ in range(processes - 1)]
    log = (workdir / "hub.log").open("a")
    procs = [subprocess.Popen([*run, "serve", "--port", str(p)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
             for p in ports]
    urls = tuple(f"http://127.0.0.1:{p}" for p in ports)
    try:
        for url in urls:
            wait_for(lambda url=url: _healthy(url), 30, "hub start")  # type: ignore[misc]
        yield Hub(urls[0], token_file.read_text().strip(), workdir, urls, tuple(p.pid for p in procs))
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)
        log.close()


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def wait_for(condition: Callable[[], bool], seconds: float, what: str, step: Callable[[], None] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        if step is not None:
            step()
        else:
            time.sleep(0.05)


def kiosk_config(workdir: Path, hub: Hub, demo: bool = False) -> Path:
    """A kiosk on this hub. ``demo``: as the demo runs, with its lessons, languages, branding
    (logo) and attract messages, which is how a council runs it."""
    (workdir / "token").write_text(hub.token)
    config = workdir / "kiosk.toml"
    demo_dir = ROOT / "config" / "demo"
    extra = (
        f'lessons_dir = "{ROOT / "config" / "lessons"}"\nlanguages_dir = "{ROOT / "config" / "i18n"}"\n'
        if demo else "")
    tables = (
        f'[branding]\ncouncil_name = "Demo Borough Council"\nlogo = "{ROOT / "config/icons/council-logo.svg"}"\n'
        '[attract]\nmessages = ["Report a missed bin, book a collection or apply for a discount here.", '
        '"Open Monday to Friday, 8:30am to 5pm."]\n'
        if demo else "")
    config.write_text(
        'kiosk_id = "bench-kiosk"\nsite = "bench"\n'
        f'state_dir = "{workdir / "state"}"\njourneys_dir = "{ROOT / "config" / "journeys"}"\n'
        f'places_file = "{demo_dir / "places.toml"}"\n{extra}'
        f'[hub]\nurl = "{hub.url}"\ndevice_token_file = "{workdir / "token"}"\n'
        f'[outbox]\nkey = "{OUTBOX_KEY}"\n{tables}'
    )
    return config


def percentile(values: list[float], share: float) -> float:
    """The value ``share`` (0.95 for p95) of the way up ``values`` sorted (nearest rank below)."""
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))]


def environment() -> str:
    import platform

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"Python {platform.python_version()}, {os.cpu_count()} cores, {cpu}"


def offline_settings(tmp: Path, **extra: Any) -> KioskSettings:
    """A kiosk with no hub (nothing to wait for), for benchmarks of the screen alone."""
    (tmp / "token").write_text("kt_bench")
    return KioskSettings(
        kiosk_id="bench", site="bench", state_dir=tmp / "state", journeys_dir=ROOT / "config" / "journeys",
        hub=HubLink(url="http://127.0.0.1:9", device_token_file=tmp / "token"),
        outbox=OutboxSettings(key=OUTBOX_KEY), **extra)
