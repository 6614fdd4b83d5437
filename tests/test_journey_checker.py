"""The journey checker: every shipped file passes; broken ones fail with one clear message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.workflows.loader import JourneyError, load_journeys, parse_journey

ROOT = Path(__file__).resolve().parent.parent

GOOD = '''
id = "demo"
title = "Demo journey"
tile = "Do a demo"
group = "Demos"
start = "colour"

[submit]
confirmation_title = "Done"
what_happens_next = ["Nothing."]

[[steps]]
id = "colour"
type = "choice"
question = "Which colour?"
error_name = "a colour"
options = [{ value = "red", label = "Red" }, { value = "blue", label = "Blue" }]
next = [{ when = { answer = "colour", equals = "red" }, goto = "why" }, { goto = "check" }]

[[steps]]
id = "why"
type = "text"
question = "Why red?"
error_name = "why red"
next = "check"

[[steps]]
id = "check"
type = "check_answers"
'''


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(text)
    return path


def test_every_shipped_journey_passes() -> None:
    journeys = load_journeys([ROOT / "config" / "journeys"])
    assert {j.id for j in journeys} >= {
        "missed-bin", "fly-tipping", "bulky-waste", "council-tax-move", "single-person-discount",
        "online-account", "bin-days", "free-wifi", "track-request",
    }


def test_the_good_example_passes(tmp_path: Path) -> None:
    assert parse_journey(write(tmp_path, GOOD)).id == "demo"


BROKEN = [
    ("duplicate id", GOOD.replace('id = "why"', 'id = "colour"'), "step 'colour': duplicate step id"),
    ("unknown next", GOOD.replace('next = "check"', 'next = "nowhere"'), "step 'why': next names unknown step 'nowhere'"),
    ("unknown start", GOOD.replace('start = "colour"', 'start = "begin"'), "start names unknown step 'begin'"),
    ("unreachable", GOOD.replace('{ when = { answer = "colour", equals = "red" }, goto = "why" }, ', ""),
     "step 'why': unreachable: no route leads to this step"),
    ("dead end", GOOD.replace('next = "check"', ""), "step 'why': dead end: no next step"),
    ("cycle with no end", GOOD.replace('next = "check"', 'next = "colour"').replace(
        '{ goto = "check" }', '{ goto = "why" }').replace(
        '[[steps]]\nid = "check"\ntype = "check_answers"\n', ""),
     "no end of the journey can be reached from here"),
    ("unknown field type", GOOD.replace('type = "text"', 'type = "signature"'), "step 'why': type: unknown field type 'signature'"),
    ("bad condition value", GOOD.replace('equals = "red"', 'equals = "green"'),
     "step 'colour': condition compares 'colour' with 'green', which is not one of ['red', 'blue']"),
    ("two comparisons", GOOD.replace('equals = "red"', 'equals = "red", not_equals = "blue"'),
     "a condition needs exactly one of equals"),
    ("unknown operator", GOOD.replace('equals = "red"', 'matches = "r.*"'), "matches: unknown key"),
    ("code in a condition", GOOD.replace('equals = "red"', 'python = "__import__(\'os\')"'), "python: unknown key"),
    ("condition on unknown answer", GOOD.replace('answer = "colour"', 'answer = "mood"'),
     "step 'colour': condition refers to unknown answer 'mood'"),
    ("last route conditional", GOOD.replace('{ goto = "check" }', '{ when = { answer = "colour", equals = "blue" }, goto = "check" }'),
     "the last route must have no 'when'"),
    ("no check answers", GOOD.replace('type = "check_answers"', 'type = "info"\nend = true'),
     "no reachable check_answers step, so nothing can be submitted"),
    ("missing error name", GOOD.replace('error_name = "why red"\n', ""), "step 'why': needs error_name"),
    ("options on text", GOOD.replace('error_name = "why red"', 'error_name = "why red"\noptions = [{ value = "a", label = "A" }]'),
     "step 'why': options do not apply to a text step"),
    ("not toml", GOOD + "\n[[steps\n", "not valid TOML"),
    ("unknown top-level key", GOOD.replace('group = "Demos"', 'group = "Demos"\ncolour = "red"'), "colour: unknown key"),
    ("check answers with next", GOOD.replace('type = "check_answers"', 'type = "check_answers"\nnext = "why"'),
     "step 'check': a check_answers step ends the journey and cannot have next"),
    ("condition looks ahead", GOOD.replace('next = "check"', 'next = [{ when = { answer = "later", equals = "yes" }, goto = "check" }, { goto = "later" }]').replace(
        '[[steps]]\nid = "check"', '[[steps]]\nid = "later"\ntype = "yes_no"\nquestion = "Later?"\nnext = "check"\n\n[[steps]]\nid = "check"'),
     "step 'why': condition looks at 'later', which is not always asked before this step"),
]


@pytest.mark.parametrize(("case", "text", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_journeys_are_rejected_with_a_clear_message(tmp_path: Path, case: str, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(JourneyError) as caught:
        parse_journey(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert expected in message, message


def test_duplicate_journey_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD)
    (tmp_path / "b.toml").write_text(GOOD)
    with pytest.raises(JourneyError, match="journey id 'demo' is already used by"):
        load_journeys([tmp_path])


def test_command_line_checker_exits_non_zero_and_names_the_problem(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(GOOD.replace('id = "demo"', 'id = "good"'))
    bad = write(tmp_path, GOOD.replace('next = "check"', 'next = "nowhere"'))
    result = subprocess.run([sys.executable, "-m", "kiosk", "journeys", "check", str(good), str(bad)],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert f"{bad}: step 'why': next names unknown step 'nowhere'" in result.stderr
    ok = subprocess.run([sys.executable, "-m", "kiosk", "journeys", "check", str(ROOT / "config" / "journeys")],
                        capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "journey file(s) OK" in ok.stdout


def test_exported_json_schema_matches_the_model(tmp_path: Path) -> None:
    import json

    result = subprocess.run([sys.executable, "-m", "kiosk", "journeys", "schema"], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    schema = json.loads(result.stdout)
    assert schema["title"] == "Journey"
    committed = json.loads((ROOT / "docs" / "journey.schema.json").read_text())
    assert committed == schema, "docs/journey.schema.json is stale: run `python -m kiosk journeys schema`"
