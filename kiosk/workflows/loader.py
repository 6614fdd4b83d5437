"""Load journey files and check them as a whole before any resident meets them.

Checks: the TOML parses; fields have the right types (kiosk/workflows/structs.py); step ids are unique; every
route names a known step; conditions refer to earlier questions and to their real options;
every step can be reached from the start; an end can be reached from every step; a
submission journey reaches "check answers". Each failure is one message naming the file,
the step and the problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kiosk.workflows.datafile import DataFileError, in_step, read_toml
from kiosk.workflows.model import FIELD_TYPES, Journey, Step, StepType
from kiosk.workflows.structs import Problem, check


class JourneyError(DataFileError):
    pass


def _format_validation(found: Problem, data: dict[str, object]) -> tuple[str, str]:
    """A problem as (step id, plain problem)."""
    step, where = in_step(found.where, data)
    key = ".".join(str(p) for p in where)
    msg = found.what
    if found.kind == "unknown_value" and where and where[-1] == "type":
        expected = ", ".join(repr(t.value) for t in StepType)
        msg = f"unknown field type {msg.removeprefix('unknown value ')}; expected one of {expected}"
    return step, f"{key}: {msg}" if key else msg


def parse_journey(path: Path) -> Journey:
    data = read_toml(path, lambda problem: JourneyError(path, problem))
    try:
        journey = check(data, Journey)
    except Problem as found:
        step, problem = _format_validation(found, data)
        raise JourneyError(path, problem, step) from None
    check_journey(journey, path)
    return journey


def check_journey(journey: Journey, path: Path | str) -> None:
    ids = journey.step_ids
    seen: set[str] = set()
    for step_id in ids:
        if step_id in seen:
            raise JourneyError(path, "duplicate step id", step_id)
        seen.add(step_id)
    if journey.start not in seen:
        raise JourneyError(path, f"start names unknown step '{journey.start}'")

    for step in journey.steps:
        _check_step(journey, step, seen, path)

    reachable = _reachable(journey, journey.start)
    for step in journey.steps:
        if step.id not in reachable:
            raise JourneyError(path, "unreachable: no route leads to this step", step.id)
    for step in journey.steps:
        if not any(journey.step(s).terminal for s in _reachable(journey, step.id)):
            raise JourneyError(path, "dead end: no end of the journey can be reached from here", step.id)

    ends = [journey.step(s) for s in reachable if journey.step(s).terminal]
    has_check = any(s.type == StepType.CHECK_ANSWERS for s in ends)
    if journey.submit is not None and not has_check:
        raise JourneyError(path, "no reachable check_answers step, so nothing can be submitted")
    if journey.submit is None and has_check:
        raise JourneyError(path, "has a check_answers step but no [submit] table")
    _check_conditions_order(journey, path)


def _check_step(journey: Journey, step: Step, ids: set[str], path: Path | str) -> None:
    routes = step.routes()
    if step.quick_dates and step.type != StepType.DATE:
        raise JourneyError(path, "quick_dates only applies to date steps", step.id)
    if step.quick_dates and step.date_rule == "future":
        raise JourneyError(path, "quick_dates are today or yesterday, which a future date_rule refuses", step.id)
    if step.terminal and routes:
        raise JourneyError(path, f"a {step.type.value} step ends the journey and cannot have next", step.id)
    if not step.terminal and not routes:
        raise JourneyError(path, "dead end: no next step (add next, or end = true on an info page)", step.id)
    for i, route in enumerate(routes):
        if route.goto not in ids:
            raise JourneyError(path, f"next names unknown step '{route.goto}'", step.id)
        if route.goto == step.id:
            raise JourneyError(path, "next leads back to the same step", step.id)
        last = i == len(routes) - 1
        if last and route.when is not None:
            raise JourneyError(path, "the last route must have no 'when', so there is always a next step", step.id)
        if not last and route.when is None:
            raise JourneyError(path, "only the last route may have no 'when'", step.id)
        if route.when is not None:
            _check_condition(journey, step, route.when.answer, route.when.compared_values(), path)
            if route.when.includes is not None:
                target = journey.step(route.when.answer)
                if target.type != StepType.MULTI_CHOICE:
                    raise JourneyError(path, "'includes' only applies to multi_choice answers", step.id)
    if step.type in (StepType.CHOICE, StepType.MULTI_CHOICE) and not step.options and not step.options_source:
        raise JourneyError(path, f"a {step.type.value} step needs options or options_source", step.id)
    if step.options and step.type not in (StepType.CHOICE, StepType.MULTI_CHOICE):
        raise JourneyError(path, f"options do not apply to a {step.type.value} step", step.id)
    values = [o.value for o in step.options]
    if len(values) != len(set(values)):
        raise JourneyError(path, "two options share a value", step.id)
    if step.collects_answer and not step.question:
        raise JourneyError(path, "a question step needs a question", step.id)
    if step.collects_answer and not step.error_name and step.type not in (
        StepType.YES_NO,
    ):
        raise JourneyError(path, "needs error_name, e.g. \"your postcode\" for \"Enter your postcode\"", step.id)
    if step.type == StepType.RESULT:
        if not step.lookup:
            raise JourneyError(path, "a result step needs lookup", step.id)
        if step.lookup != "places":
            if step.lookup_from not in ids:
                raise JourneyError(path, f"lookup_from names unknown step '{step.lookup_from}'", step.id)
            wanted = StepType.ADDRESS if step.lookup == "bin_days" else StepType.REFERENCE
            if journey.step(step.lookup_from).type != wanted:
                raise JourneyError(path, f"lookup {step.lookup} needs lookup_from a {wanted.value} step", step.id)
    if step.min is not None and step.max is not None and step.min > step.max:
        raise JourneyError(path, "min is greater than max", step.id)


def _check_condition(journey: Journey, step: Step, answer: str, values: list[str], path: Path | str) -> None:
    try:
        target = journey.step(answer)
    except KeyError:
        raise JourneyError(path, f"condition refers to unknown answer '{answer}'", step.id) from None
    if target.type not in FIELD_TYPES:
        raise JourneyError(path, f"condition refers to '{answer}', which asks no question", step.id)
    allowed: list[str] | None = None
    if target.type == StepType.YES_NO:
        allowed = ["yes", "no"]
    elif target.options:
        allowed = [o.value for o in target.options]
    if allowed is not None:
        for value in values:
            if value not in allowed:
                raise JourneyError(
                    path, f"condition compares '{answer}' with '{value}', which is not one of {allowed}", step.id
                )


def _check_conditions_order(journey: Journey, path: Path | str) -> None:
    """A condition may only look at answers that are always asked before it."""
    for step in journey.steps:
        before = _always_before(journey, step.id)
        for route in step.routes():
            if route.when is not None and route.when.answer not in before | {step.id}:
                problem = f"condition looks at '{route.when.answer}', which is not always asked before this step"
                raise JourneyError(path, problem, step.id)


def _always_before(journey: Journey, target: str) -> set[str]:
    """Steps on every path from the start to target (dominators), excluding target."""
    dom: dict[str, set[str]] = {s: set(journey.step_ids) for s in journey.step_ids}
    dom[journey.start] = {journey.start}
    preds: dict[str, set[str]] = {s: set() for s in journey.step_ids}
    for s in journey.steps:
        for r in s.routes():
            preds[r.goto].add(s.id)
    changed = True
    while changed:
        changed = False
        for sid in journey.step_ids:
            if sid == journey.start:
                continue
            ps = [dom[p] for p in preds[sid]]
            new = ({sid} | set.intersection(*ps)) if ps else {sid}
            if new != dom[sid]:
                dom[sid] = new
                changed = True
    return dom[target] - {target}


def _reachable(journey: Journey, start: str) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for route in journey.step(todo.pop()).routes():
            if route.goto not in seen:
                seen.add(route.goto)
                todo.append(route.goto)
    return seen


def load_journeys(paths: Iterable[Path]) -> list[Journey]:
    """Load every file (or every *.toml in each directory); ids must be unique across files."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.toml")))
        else:
            files.append(path)
    journeys: list[Journey] = []
    by_id: dict[str, Path] = {}
    for file in files:
        journey = parse_journey(file)
        if journey.id in by_id:
            raise JourneyError(file, f"journey id '{journey.id}' is already used by {by_id[journey.id]}")
        by_id[journey.id] = file
        journeys.append(journey)
    return sorted(journeys, key=lambda j: (j.order, j.title))
