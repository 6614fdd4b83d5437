"""Checked data (kiosk/workflows/structs.py): every kind of problem msgspec finds is told as
"where: what" in plain words, so a msgspec upgrade that words its errors differently fails here,
not in front of a council's staff."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import pytest

from kiosk.workflows.model import StepType
from kiosk.workflows.structs import Meta, Problem, Reply, Request, Strict, check, dump


class Inner(Strict):
    code: Annotated[str, Meta(pattern=r"^[a-z]+$")]
    count: Annotated[int, Meta(ge=1, le=5)] = 1

    def __post_init__(self) -> None:
        if self.code == "forbidden":
            raise ValueError("code: is not allowed here")


class Outer(Strict):
    name: Annotated[str, Meta(min_length=2, max_length=5)]
    items: Annotated[list[Inner], Meta(min_length=1)]
    kind: StepType = StepType.TEXT
    colour: Literal["red", "blue"] = "red"
    when: dt.datetime | None = None
    home: Path | None = None


GOOD = {"name": "abc", "items": [{"code": "x"}]}


@pytest.mark.parametrize(("change", "told"), [
    ({"name": None}, "name: Input should be a valid string, not nothing"),
    ({"name": 7}, "name: Input should be a valid string, not a number"),
    ({"name": "a"}, "name: String should have at least 2 characters"),
    ({"name": "abcdef"}, "name: String should have at most 5 characters"),
    ({"items": []}, "items: List should have at least 1 items"),
    ({"items": [{"code": "x"}, {"code": "X"}]}, "items.1.code: String should match pattern '^[a-z]+$'"),
    ({"items": [{"code": "x", "count": 9}]}, "items.0.count: Input should be less than or equal to 5"),
    ({"items": [{"code": "x", "count": 0}]}, "items.0.count: Input should be greater than or equal to 1"),
    ({"items": [{"code": "x", "count": "2"}]}, "items.0.count: Input should be a valid integer, not text"),
    ({"items": [{}]}, "items.0.code: Field required"),
    ({"items": [{"code": "x", "colour": "red"}]}, "items.0.colour: unknown key"),
    ({"items": [{"code": "forbidden"}]}, "items.0.code: is not allowed here"),
    ({"kind": "signature"}, "kind: unknown value 'signature'"),
    ({"colour": "green"}, "colour: unknown value 'green'"),
    ({"when": "yesterday"}, "when: Input should be a valid date or time in ISO 8601"),
    ({"home": 3}, "home: Input should be a path, written as text"),
])
def test_each_problem_is_told_where_and_what(change: dict[str, object], told: str) -> None:
    with pytest.raises(Problem) as caught:
        check({**GOOD, **change}, Outer)
    assert str(caught.value).startswith(told), str(caught.value)


def test_a_missing_field_at_the_top_names_it() -> None:
    with pytest.raises(Problem) as caught:
        check({"items": [{"code": "x"}]}, Outer)
    assert (str(caught.value), caught.value.where, caught.value.kind) == ("name: Field required", ["name"], "missing")


def test_good_data_is_read_and_written_back_as_it_was_given() -> None:
    data = {**GOOD, "when": "2026-11-30T09:30:00+00:00", "home": "/var/lib/kiosk", "kind": "yes_no"}
    value = check(data, Outer)
    assert value.home == Path("/var/lib/kiosk") and value.kind is StepType.YES_NO
    assert value.when == dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.UTC)
    written = dump(value)
    assert check(written, Outer) == value
    assert written["home"] == "/var/lib/kiosk" and written["when"] == "2026-11-30T09:30:00Z"


def test_settings_and_data_never_change_once_read() -> None:
    value = check(GOOD, Outer)
    with pytest.raises(AttributeError):
        value.name = "other"  # type: ignore[misc]


class Ask(Request):
    word: str


class Answer(Reply):
    word: str


def test_requests_refuse_fields_the_hub_did_not_ask_for_and_replies_ignore_them() -> None:
    with pytest.raises(Problem, match="extra: unknown key"):
        check({"word": "hi", "extra": 1}, Ask)
    assert check({"word": "hi", "added_by_a_newer_hub": 1}, Answer) == Answer(word="hi")
