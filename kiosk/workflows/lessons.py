"""ICT taster lessons as data (one lesson per file in config/lessons/), checked like journeys.

A lesson is a few steps. Each step explains one thing in plain words, shows an illustration,
and may set a practice task the kiosk checks: tap a button, drag a list to find something,
type with the on-screen keyboard, choose an answer (spot the scam), or a practice run of a
real journey that never sends anything. Hints come after failed tries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal

from kiosk.workflows.datafile import DataFileError, in_step, read_toml
from kiosk.workflows.structs import Meta, Problem, Strict, check

Hints = Annotated[list[Annotated[str, Meta(min_length=1)]], Meta(min_length=1)]


class _Practice(Strict, tag_field="kind"):
    """A practice task; ``kind`` (tap, scroll, type, choice, journey) says which."""

    @property
    def kind(self) -> str:
        return str(self.__struct_config__.tag)


class TapPractice(_Practice, tag="tap"):
    """Tap one big button. A tap anywhere else on the page is a failed try."""

    prompt: Annotated[str, Meta(min_length=1)]
    button: Annotated[str, Meta(min_length=1, max_length=40)]
    hints: Hints


class ScrollPractice(_Practice, tag="scroll"):
    """Drag a long list to find one item and tap it. Tapping another item is a failed try."""

    prompt: Annotated[str, Meta(min_length=1)]
    items: Annotated[list[Annotated[str, Meta(min_length=1, max_length=40)]], Meta(min_length=8)]
    target: Annotated[str, Meta(min_length=1)]
    hints: Hints

    def __post_init__(self) -> None:
        if self.target not in self.items:
            raise ValueError(f"target {self.target!r} is not one of the items")
        if self.items.index(self.target) < 6:
            raise ValueError("the target must be at least the 7th item, so finding it needs a scroll")


class TypePractice(_Practice, tag="type"):
    """Type with the on-screen keyboard. ``expect``: the exact words (any case, spaces trimmed);
    or "name" for a first name (letters, spaces, hyphens, apostrophes)."""

    prompt: Annotated[str, Meta(min_length=1)]
    label: Annotated[str, Meta(min_length=1)]
    expect: Annotated[str, Meta(min_length=1, max_length=40)]
    keyboard: Literal["text", "email", "numeric"] = "text"
    hints: Hints


class ChoiceOption(Strict):
    label: Annotated[str, Meta(min_length=1)]
    #: A line or two under the label (the sender and subject of an email, say).
    detail: str = ""
    correct: bool = False
    #: Said after choosing this option: why it is right, or why not.
    feedback: Annotated[str, Meta(min_length=1)]


class ChoicePractice(_Practice, tag="choice"):
    prompt: Annotated[str, Meta(min_length=1)]
    options: Annotated[list[ChoiceOption], Meta(min_length=2, max_length=6)]
    hints: Hints

    def __post_init__(self) -> None:
        right = sum(o.correct for o in self.options)
        if right != 1:
            raise ValueError(f"exactly one option must be correct (found {right})")


class JourneyPractice(_Practice, tag="journey"):
    """A practice run of a real journey: the learner answers for real, nothing is ever sent."""

    prompt: Annotated[str, Meta(min_length=1)]
    journey: Annotated[str, Meta(pattern=r"^[a-z0-9-]+$")]
    hints: Hints


Practice = TapPractice | ScrollPractice | TypePractice | ChoicePractice | JourneyPractice


class LessonStep(Strict):
    id: Annotated[str, Meta(min_length=1, pattern=r"^[a-z0-9_]+$")]
    title: Annotated[str, Meta(min_length=1, max_length=80)]
    #: Plain paragraphs, read aloud in speech mode.
    explanation: Annotated[list[Annotated[str, Meta(min_length=1)]], Meta(min_length=1)]
    #: An SVG in the lessons' illustrations folder, without ".svg"; "" for none.
    illustration: Annotated[str, Meta(pattern=r"^[a-z0-9-]*$")] = ""
    practice: Practice | None = None


class Lesson(Strict):
    id: Annotated[str, Meta(min_length=1, pattern=r"^[a-z0-9-]+$")]
    version: int = 1
    title: Annotated[str, Meta(min_length=1, max_length=60)]
    #: One sentence for the list of lessons.
    summary: Annotated[str, Meta(min_length=1, max_length=200)]
    order: int = 100
    minutes: Annotated[int, Meta(ge=1, le=120)] = 10
    illustration: Annotated[str, Meta(pattern=r"^[a-z0-9-]*$")] = ""
    steps: Annotated[list[LessonStep], Meta(min_length=1)]
    #: What the learner can now do: the lesson's last page and the certificate.
    learned: Annotated[list[Annotated[str, Meta(min_length=1)]], Meta(min_length=1)]
    #: Suggestions for the certificate's "what to try next".
    try_next: list[Annotated[str, Meta(min_length=1)]] = []

    @property
    def practice_count(self) -> int:
        return sum(1 for s in self.steps if s.practice is not None)


class LessonError(DataFileError):
    pass


def _describe(found: Problem, data: dict[str, object]) -> tuple[str, str]:
    step, where = in_step(found.where, data)
    key = ".".join(str(p) for p in where)
    msg = found.what
    if key.endswith("practice.kind") and found.kind == "unknown_value":
        kind = msg.removeprefix("unknown value ")
        key = key.removesuffix(".kind")
        msg = f"unknown practice kind {kind}; expected tap, scroll, type, choice or journey"
    elif key.endswith("practice.kind") and found.kind == "missing":
        key, msg = key.removesuffix(".kind"), "needs kind: tap, scroll, type, choice or journey"
    return step, f"{key}: {msg}" if key else msg


def parse_lesson(path: Path, journey_ids: set[str] | None = None) -> Lesson:
    """Read and check one lesson file. ``journey_ids``: the journeys a practice run may name."""
    data = read_toml(path, lambda problem: LessonError(path, problem))
    try:
        lesson = check(data, Lesson)
    except Problem as found:
        step, problem = _describe(found, data)
        raise LessonError(path, problem, step) from None
    check_lesson(lesson, path, journey_ids)
    return lesson


def check_lesson(lesson: Lesson, path: Path, journey_ids: set[str] | None = None) -> None:
    seen: set[str] = set()
    illustrations = path.parent / "illustrations"
    if lesson.illustration and not (illustrations / f"{lesson.illustration}.svg").exists():
        raise LessonError(path, f"illustration '{lesson.illustration}' not found in {illustrations}")
    for step in lesson.steps:
        if step.id in seen:
            raise LessonError(path, "duplicate step id", step.id)
        seen.add(step.id)
        if step.illustration and not (illustrations / f"{step.illustration}.svg").exists():
            raise LessonError(path, f"illustration '{step.illustration}' not found in {illustrations}", step.id)
        p = step.practice
        if isinstance(p, JourneyPractice) and journey_ids is not None and p.journey not in journey_ids:
            raise LessonError(path, f"practice names unknown journey '{p.journey}'", step.id)
        if isinstance(p, TypePractice) and p.expect != "name" and not re.fullmatch(r"[\w .@'-]+", p.expect):
            raise LessonError(path, "practice.expect: use plain words (letters, numbers, spaces, . @ ' -)", step.id)
    if lesson.practice_count == 0:
        raise LessonError(path, "a lesson needs at least one step with a practice task")


def load_lessons(folder: Path, journey_ids: set[str] | None = None) -> list[Lesson]:
    """Every *.toml in the folder; ids must be unique. Sorted by order, then title."""
    lessons: list[Lesson] = []
    by_id: dict[str, Path] = {}
    files: Iterable[Path] = sorted(folder.glob("*.toml")) if folder.is_dir() else [folder]
    for file in files:
        lesson = parse_lesson(file, journey_ids)
        if lesson.id in by_id:
            raise LessonError(file, f"lesson id '{lesson.id}' is already used by {by_id[lesson.id]}")
        by_id[lesson.id] = file
        lessons.append(lesson)
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.title))
