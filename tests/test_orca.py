"""Debian's Orca screen reader over the real kiosk: "Report a missed bin" by keys alone, and what
Orca says. Each page's question must be spoken as the page appears (focus moves to it), the
options of a choice page as the keys reach them, the error after an empty Continue, and the
reference on the confirmation. The driver is tests/orca/drive.py, run by tests/orca/session.sh."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.workflows.validators import validate_reference
from tests.resident import offline_kiosk_config, queued_submissions

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "What do you want to do?",
    "What is the address of the missed bin?",
    "Which bin was missed?",
    "When was your bin due to be collected?",
    "Where did you leave the bin?",
    "Is there anything else the crew should know?",
    "What is your email address?",
    "Check your answers",
]


@pytest.mark.slow
def test_orca_hears_every_question_the_options_an_error_and_the_reference(tmp_path: Path) -> None:
    for tool in ("xvfb-run", "dbus-run-session", "gdbus", "xdotool", "/usr/bin/orca"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: scripts/setup-env dev installs it")
    config = offline_kiosk_config(tmp_path, "orca-kiosk")
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", "dbus-run-session", "--",
         str(ROOT / "tests" / "orca" / "session.sh"), str(config), str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["ok"], report.get("error", "") + "\n" + "\n".join(report["transcript"][-40:])
    heard = report["transcript"]
    # Each question, as its page appeared (focus moved to it), in order.
    assert [p["question"] for p in report["pages"]] == QUESTIONS
    for p in report["pages"]:  # the question, said as a heading
        assert p["heard"].startswith(p["question"]) and p["heard"].endswith("heading."), p
    # The error summary is read whole as it takes focus after an empty Continue.
    summary = heard.index("There is a problem panel.")
    assert heard[summary + 1] == "Enter the date your bin was due."
    # Every answer of the choice page was reached and named as a button (it acts).
    for option in ("General waste (grey bin)", "Recycling (blue bin or boxes)", "Garden waste (brown bin)"):
        assert f"{option} push button." in report["options"], report["options"]
    # The reference, character by character, and it is the one queued for the council.
    reference = validate_reference(report["reference"])
    queued = queued_submissions(tmp_path / "state")  # waiting for a retry: the hub was never there
    assert [p["reference"] for p in queued] == [reference]
    assert queued[0]["answers"]["bin_type"] == "general"
