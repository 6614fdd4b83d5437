"""Screen-reader exposure for real: the kiosk under Xvfb, on a D-Bus session with the
accessibility bus, completed by an AT-SPI walker (Debian's python3-pyatspi) alone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.workflows.validators import validate_reference
from tests.resident import offline_kiosk_config, queued_submissions

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_a_whole_journey_through_at_spi_alone(tmp_path: Path) -> None:
    for tool in ("xvfb-run", "dbus-run-session", "gdbus"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: scripts/setup-env dev installs it")
    config = offline_kiosk_config(tmp_path, "a11y-kiosk")
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", "dbus-run-session", "--",
         str(ROOT / "tests" / "atspi" / "session.sh"), str(config)],
        capture_output=True, text=True, timeout=240, cwd=ROOT,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:] + (tmp_path / "kiosk.log").read_text()[-2000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("reference: "))
    reference = validate_reference(line.removeprefix("reference: "))
    queued = queued_submissions(tmp_path / "state")  # waiting for a retry: the hub was never there
    assert [p["reference"] for p in queued] == [reference]
    assert queued[0]["answers"]["name"] == "Sam Screenreader"
    assert queued[0]["answers"]["since"] == "2026-09-03"
