"""Reading one TOML data file (a journey, a lesson, a language), with the problem named the same
way for each: "file not found", or "not valid TOML: <where and why>"."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any


class DataFileError(Exception):
    """A data file's problem, naming the file (and the step, when it is in one)."""

    def __init__(self, path: Path | str, problem: str, step: str = "") -> None:
        self.path = str(path)
        self.step = step
        self.problem = problem
        where = f"{self.path}: step '{step}': " if step else f"{self.path}: "
        super().__init__(where + problem)


def read_toml(path: Path, error: Callable[[str], Exception]) -> dict[str, Any]:
    """The file's data; ``error(problem)`` makes the exception to raise when it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error("file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"not valid TOML: {exc}") from None


def in_step(where: list[str | int], data: dict[str, Any]) -> tuple[str, list[str | int]]:
    """A problem's place in a file of steps: ["steps", 2, "options"] -> ("the third step's id",
    ["options"]); anywhere else, ("", where)."""
    if len(where) >= 2 and where[0] == "steps" and isinstance(where[1], int):
        steps = data.get("steps")
        index = where[1]
        step = f"#{index + 1}"
        if isinstance(steps, list) and index < len(steps) and isinstance(steps[index], dict):
            step = str(steps[index].get("id", step))
        return step, where[2:]
    return "", where
