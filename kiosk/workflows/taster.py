"""An ICT taster session without the screen: the plan staff chose, the clock with its warnings,
and a learner's way through one lesson (tries, hints, progress). No Qt, so it is tested alone."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.workflows.lessons import Lesson, LessonStep, TypePractice
from kiosk.workflows.validators import FieldError

MIN_MINUTES = 15
MAX_MINUTES = 120
#: Minutes left at which the learner is warned.
WARN_AT = (10, 5, 1)
GROUP_MAX = 40
NAME_MAX = 30
_NAME = re.compile(r"^[^\W\d_]+(?:[ '’-][^\W\d_]+)*$")


@dataclass(frozen=True)
class TasterPlan:
    lessons: tuple[str, ...]
    minutes: int
    group: str = ""
    #: Set when a booking at the hub opened the session.
    booking_id: int | None = None


def plan_from_form(chosen: list[str], minutes: str, group: str, known: list[str]) -> TasterPlan:
    """Staff's choices, checked. Raises a list of FieldErrors (part: lessons, minutes, group)."""
    errors: list[FieldError] = []
    lessons = tuple(i for i in known if i in chosen)
    if not lessons:
        errors.append(FieldError("Choose at least one lesson", "lessons", "missing"))
    text = minutes.strip()
    value = 0
    if not text:
        errors.append(FieldError("Enter how long the session lasts, in minutes", "minutes", "missing"))
    elif not text.isdigit():
        errors.append(FieldError("How long the session lasts must be a number of minutes, like 60", "minutes"))
    else:
        value = int(text)
        if not MIN_MINUTES <= value <= MAX_MINUTES:
            errors.append(FieldError(f"A session lasts between {MIN_MINUTES} and {MAX_MINUTES} minutes",
                                     "minutes", "range"))
    name = " ".join(group.split())
    if len(name) > GROUP_MAX:
        errors.append(FieldError(f"The group name must be {GROUP_MAX} characters or fewer", "group", "too_long"))
    if errors:
        raise TasterFormError(errors)
    return TasterPlan(lessons, value, name)


class TasterFormError(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def check_first_name(raw: str) -> str:
    """The optional first name on a certificate: letters only, so nothing else rides along."""
    name = " ".join(raw.split())
    if not name:
        return ""
    if len(name) > NAME_MAX:
        raise FieldError(f"Your first name must be {NAME_MAX} characters or fewer", kind="too_long")
    if not _NAME.match(name):
        raise FieldError("Your first name must only include letters, spaces, hyphens and apostrophes")
    return name


class TasterClock:
    """Time left in a session, on a monotonic clock (seconds), with warnings at WARN_AT minutes."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.ends_at = clock() + seconds
        self._warned: set[int] = {m for m in WARN_AT if seconds <= m * 60}

    def remaining(self) -> float:
        return max(0.0, self.ends_at - self._clock())

    @property
    def over(self) -> bool:
        return self.remaining() <= 0

    def extend(self, minutes: float) -> None:
        self.ends_at += minutes * 60
        left = self.remaining()
        self._warned = {m for m in self._warned if left <= m * 60}

    def due_warning(self) -> int | None:
        """The warning to give now, if a mark has been passed since the last one (only the
        nearest, when several passed at once); None otherwise."""
        left = self.remaining()
        passed = [m for m in WARN_AT if left <= m * 60 and m not in self._warned]
        if not passed or left <= 0:
            return None
        self._warned.update(passed)
        return min(passed)


def minutes_text(seconds: float) -> str:
    """How a learner is told the time left: whole minutes, rounded up; seconds in the last one."""
    if seconds >= 60:
        minutes = int((seconds + 59) // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    whole = int(seconds)
    return f"{whole} second{'s' if whole != 1 else ''}"


@dataclass
class LessonRun:
    """One learner's way through one lesson."""

    lesson: Lesson
    index: int = 0
    tries: int = 0
    #: Steps whose practice was done (not skipped).
    practised: set[str] = field(default_factory=set)

    @property
    def step(self) -> LessonStep:
        return self.lesson.steps[self.index]

    @property
    def finished(self) -> bool:
        return self.index >= len(self.lesson.steps)

    @property
    def progress(self) -> tuple[int, int]:
        return min(self.index + 1, len(self.lesson.steps)), len(self.lesson.steps)

    def failed_try(self) -> str:
        """A wrong try: returns the hint to show (the next one each time, then the last again)."""
        self.tries += 1
        practice = self.step.practice
        hints = practice.hints if practice is not None else ["Try again."]
        return hints[min(self.tries, len(hints)) - 1]

    def practice_done(self) -> None:
        self.practised.add(self.step.id)

    def next(self) -> None:
        self.index += 1
        self.tries = 0

    def back(self) -> bool:
        if self.index == 0:
            return False
        self.index -= 1
        self.tries = 0
        return True

    @property
    def completed(self) -> bool:
        """Finished with every practice done: what the certificate counts."""
        return self.finished and all(s.id in self.practised for s in self.lesson.steps if s.practice is not None)


def typed_ok(practice: TypePractice, raw: str) -> bool:
    text = " ".join(raw.split())
    if practice.expect == "name":
        try:
            return bool(check_first_name(text))
        except FieldError:
            return False
    return text.casefold() == " ".join(practice.expect.split()).casefold()


def new_session_id() -> str:
    return uuid.uuid4().hex
