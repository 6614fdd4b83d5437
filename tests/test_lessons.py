"""Lesson files are checked like journeys (broken ones rejected with a message naming the file,
the step and the problem), and the Qt-free taster logic: the form, the clock and its warnings,
hints after failed tries, typing checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.workflows.lessons import LessonError, load_lessons, parse_lesson
from kiosk.workflows.loader import load_journeys
from kiosk.workflows.taster import (
    LessonRun,
    TasterClock,
    TasterFormError,
    check_first_name,
    minutes_text,
    plan_from_form,
    typed_ok,
)
from kiosk.workflows.validators import FieldError

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "config" / "lessons"
JOURNEY_IDS = {j.id for j in load_journeys([ROOT / "config" / "journeys"])}

GOOD = '''
id = "demo"
title = "Demo"
summary = "A demo lesson."
learned = ["Something."]

[[steps]]
id = "one"
title = "One"
explanation = ["Read this."]

[[steps]]
id = "two"
title = "Two"
explanation = ["Now try."]
[steps.practice]
kind = "choice"
prompt = "Pick one"
hints = ["The first."]
options = [
  { label = "A", correct = true, feedback = "Yes." },
  { label = "B", feedback = "No." },
]
'''


def test_shipped_lessons_load() -> None:
    lessons = load_lessons(LESSONS, JOURNEY_IDS)
    assert [lesson.id for lesson in lessons] == ["touchscreen", "keyboard", "staying-safe", "council-online",
                                                 "wifi-computers"]
    kinds = {s.practice.kind for lesson in lessons for s in lesson.steps if s.practice is not None}
    assert kinds == {"tap", "scroll", "type", "choice", "journey"}


def test_the_command_checks_the_shipped_lessons() -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk", "lessons", "check", str(LESSONS), "--journeys",
                           str(ROOT / "config" / "journeys")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "5 lesson file(s) OK"


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "illustrations").mkdir(exist_ok=True)
    (tmp_path / "illustrations" / "pic.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    path = tmp_path / "demo.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ('hints = ["The first."]\n', "", "step 'two': practice.hints: Field required"),
    ('kind = "choice"', 'kind = "swipe"', "step 'two': practice: unknown practice kind 'swipe'; expected tap, scroll"),
    ('{ label = "B", feedback = "No." }', '{ label = "B", correct = true, feedback = "No." }',
     "step 'two': practice: exactly one option must be correct (found 2)"),
    ('id = "two"', 'id = "one"', "step 'one': duplicate step id"),
    ('title = "One"\n', 'title = "One"\nillustration = "ghost"\n', "step 'one': illustration 'ghost' not found"),
    ('kind = "choice"\nprompt = "Pick one"\nhints = ["The first."]\noptions = [\n  { label = "A", correct = true, '
     'feedback = "Yes." },\n  { label = "B", feedback = "No." },\n]\n',
     'kind = "journey"\nprompt = "Go"\nhints = ["h"]\njourney = "nope"\n',
     "step 'two': practice names unknown journey 'nope'"),
    ('[steps.practice]', '[steps.nothing]', "step 'two': nothing: unknown key"),
    ('learned = ["Something."]\n', "", "learned: Field required"),
    ('summary = "A demo lesson."', 'summary = "A demo lesson."\ncolour = "red"', "colour: unknown key"),
    ('id = "demo"', 'id = "Demo Lesson"', "id: String should match pattern"),
    ('title = "Two"', 'title = "Two"\n[steps.practice.x]', "step 'two': practice.x: unknown key"),
    ('title = "Two"', 'title = "Two', "not valid TOML"),
])
def test_broken_lessons_are_rejected_with_a_clear_message(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(LessonError) as caught:
        parse_lesson(path, JOURNEY_IDS)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_a_lesson_needs_a_practice_and_scroll_targets_need_a_scroll(tmp_path: Path) -> None:
    no_practice = GOOD[:GOOD.index("[steps.practice]")]
    with pytest.raises(LessonError, match="a lesson needs at least one step with a practice task"):
        parse_lesson(write(tmp_path, no_practice), JOURNEY_IDS)
    scroll = no_practice + ('[steps.practice]\nkind = "scroll"\nprompt = "Find it"\nhints = ["Down"]\n'
                            'items = ["a", "b", "c", "d", "e", "f", "g", "h"]\ntarget = "b"\n')
    with pytest.raises(LessonError, match="the target must be at least the 7th item"):
        parse_lesson(write(tmp_path, scroll), JOURNEY_IDS)
    assert parse_lesson(write(tmp_path, scroll.replace('target = "b"', 'target = "h"')), JOURNEY_IDS).id == "demo"


def test_the_set_up_form() -> None:
    known = ["a", "b", "c"]
    plan = plan_from_form(["c", "a"], " 45 ", "  Tuesday   beginners ", known)
    assert (plan.lessons, plan.minutes, plan.group) == (("a", "c"), 45, "Tuesday beginners")
    with pytest.raises(TasterFormError) as caught:
        plan_from_form([], "abc", "x" * 41, known)
    assert [(e.part, e.message) for e in caught.value.errors] == [
        ("lessons", "Choose at least one lesson"),
        ("minutes", "How long the session lasts must be a number of minutes, like 60"),
        ("group", "The group name must be 40 characters or fewer"),
    ]
    for bad in ("14", "121", "0"):
        with pytest.raises(TasterFormError, match="between 15 and 120 minutes"):
            plan_from_form(["a"], bad, "", known)
    assert plan_from_form(["a"], "15", "", known).minutes == 15
    assert plan_from_form(["a"], "120", "", known).minutes == 120


def test_clock_warns_once_at_each_mark_and_again_after_more_time() -> None:
    now = [0.0]
    clock = TasterClock(15 * 60, lambda: now[0])
    seen = []
    for second in range(0, 15 * 60 + 1, 10):
        now[0] = second
        warning = clock.due_warning()
        if warning is not None:
            seen.append((second, warning))
    assert seen == [(300, 10), (600, 5), (840, 1)]
    assert clock.over
    # Extended from 4 minutes left to 19: all three warnings come again.
    now[0] = 0.0
    clock = TasterClock(15 * 60, lambda: now[0])
    now[0] = 11 * 60
    assert clock.due_warning() == 5  # 10 and 5 passed at once: only the nearer is given
    clock.extend(15)
    seen = []
    for second in range(11 * 60, 30 * 60, 10):
        now[0] = second
        warning = clock.due_warning()
        if warning is not None:
            seen.append(warning)
    assert seen == [10, 5, 1]
    # A session shorter than a mark never warns for it.
    assert TasterClock(8 * 60, lambda: 0.0).due_warning() is None


def test_minutes_text() -> None:
    assert [minutes_text(s) for s in (3600, 61, 60, 59.5, 1, 0)] == [
        "60 minutes", "2 minutes", "1 minute", "59 seconds", "1 second", "0 seconds"]


def test_hints_come_in_turn_and_completion_needs_every_practice() -> None:
    lesson = next(lesson for lesson in load_lessons(LESSONS, JOURNEY_IDS) if lesson.id == "touchscreen")
    run = LessonRun(lesson)
    run.next()  # "what" has no practice
    hints = lesson.steps[1].practice.hints  # type: ignore[union-attr]
    assert [run.failed_try() for _ in range(3)] == [hints[0], hints[1], hints[1]]
    run.practice_done()
    run.next()
    assert run.tries == 0 and run.progress == (3, 4)
    run.next()  # skipped the scroll practice
    run.practice_done()
    run.next()
    assert run.finished and not run.completed


def test_typing_checks() -> None:
    lesson = next(lesson for lesson in load_lessons(LESSONS, JOURNEY_IDS) if lesson.id == "keyboard")
    name, words, email = (s.practice for s in lesson.steps[1:])
    assert typed_ok(name, "Siân") and typed_ok(name, "Mary-Jane") and typed_ok(name, "Zoë O'Neil")  # type: ignore[arg-type]
    assert not typed_ok(name, "") and not typed_ok(name, "R2D2")  # type: ignore[arg-type]
    assert typed_ok(words, "  good   MORNING ") and not typed_ok(words, "Good mornin")  # type: ignore[arg-type]
    assert typed_ok(email, "Sam@Example.com") and not typed_ok(email, "sam@example")  # type: ignore[arg-type]
    assert check_first_name("  Anna  ") == "Anna"
    with pytest.raises(FieldError, match="30 characters or fewer"):
        check_first_name("A" * 31)
