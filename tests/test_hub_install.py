"""A hub server installs without Qt: requirements-hub.txt is complete on its own (every package
it names has what it needs named there too), and the hub runs with Qt, qasync and qrcode made
unimportable."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import requires
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

from tests.hubserver import ROOT
from tests.test_migrations import hub_toml

QT = ("PySide6", "shiboken6", "qasync", "qrcode")


def pinned(path: Path) -> dict[str, str]:
    names = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-r"):
            name, _, version = line.partition("==")
            names[re.sub(r"[-_.]+", "-", name).lower()] = version
    return names


def test_the_hub_requirements_need_nothing_else_and_no_qt() -> None:
    hub = pinned(ROOT / "requirements-hub.txt")
    assert not any(n.lower().startswith(q.lower()) for n in hub for q in QT)
    env = {**default_environment(), "extra": ""}
    missing = set()
    for name in hub:
        for spec in requires(name) or []:
            req = Requirement(spec)
            wanted = req.marker is None or req.marker.evaluate(env)
            if name == "psycopg" and req.marker is not None and req.marker.evaluate({**env, "extra": "binary"}):
                wanted = True  # psycopg[binary]
            if wanted and re.sub(r"[-_.]+", "-", req.name).lower() not in hub:
                missing.add(f"{name} needs {req.name}")
    assert not missing
    kiosk = pinned(ROOT / "requirements.txt")
    assert set(kiosk) >= {"pyside6-essentials", "qasync", "qrcode"} and not set(kiosk) & set(hub)


def test_the_hub_runs_with_qt_unimportable(tmp_path: Path) -> None:
    config = hub_toml(tmp_path, f"sqlite:///{tmp_path / 'hub.sqlite3'}", "Uv7cE8m0d0Hqk3J9X5oYb2G8n6P1sRzT4aWfLqVdKiM=")
    script = (
        "import sys\n"
        f"for name in {QT!r}: sys.modules[name] = None  # import fails, as on a server without them\n"
        "from hub.cli import main\n"
        f"assert main(['--config', {str(config)!r}, 'db', 'upgrade']) == 0\n"
        f"assert main(['--config', {str(config)!r}, 'create-token', 'k1', '--site', 's']) == 0\n"
        "from hub.app import create_app\n"
        "from hub.config import load_settings\n"
        f"create_app(load_settings(__import__('pathlib').Path({str(config)!r})))\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT!r} and sys.modules[m] is not None))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
