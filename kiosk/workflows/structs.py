"""Checked data without pydantic: the kiosk's settings, journeys, lessons, translations and hub
messages are msgspec Structs, checked when read (``check``), and a problem is told as
"where: what", in the words council staff already know from the earlier pydantic checks.

Why msgspec: the kiosk runs all day on a small machine, and pydantic (its schema builder, its
core, and what they import) was about 11 MiB of the kiosk's 89 MiB at rest; msgspec is about
1 MiB (docs/benchmarks.md). The hub still serves these messages through FastAPI, which speaks
pydantic: ``__get_pydantic_core_schema__`` below lets FastAPI check a request and write a reply
with msgspec, and describe both in /openapi.json, importing pydantic only in the hub.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar, dataclass_transform

import msgspec
from msgspec import Meta, Struct, ValidationError

__all__ = ["Meta", "Problem", "Reply", "Request", "Strict", "Struct", "ValidationError", "check", "dump",
           "dump_json", "json_schema", "problem", "replace"]

T = TypeVar("T")


class Problem(ValueError):
    """Data that does not fit its Struct: ``where`` (keys and list positions), ``what`` (in words)."""

    def __init__(self, where: list[str | int], what: str, kind: str) -> None:
        super().__init__(f"{'.'.join(str(p) for p in where)}: {what}" if where else what)
        self.where = where
        self.what = what
        #: "missing", "unknown_key", "type", "value" (a limit, a pattern, a rule) or "unknown_value".
        self.kind = kind


def check(data: object, kind: type[T]) -> T:
    """``data`` (from TOML or JSON) as a ``kind``, or ``Problem``. Strict: no text read as a
    number, no number as text."""
    try:
        return msgspec.convert(data, kind, strict=True, dec_hook=_decode)
    except ValidationError as exc:
        raise problem(exc) from None


def _decode(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise TypeError(f"Input should be a {'path, written as text' if kind is Path else kind.__name__}")


def _encode(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    raise NotImplementedError(f"cannot write a {type(value).__name__}")


def dump(value: Any) -> Any:
    """As plain dicts, lists, strings and numbers (dates as ISO 8601 text, paths as text)."""
    return msgspec.to_builtins(value, enc_hook=_encode)


def dump_json(value: Any) -> bytes:
    return msgspec.json.encode(value, enc_hook=_encode)


def json_schema(kind: type) -> dict[str, Any]:
    """The JSON Schema of a data file's Struct (``kiosk journeys schema``, ``kiosk lessons schema``)."""
    schema: dict[str, Any] = msgspec.json.schema(kind)
    defs = schema.get("$defs", {})
    top = schema.pop("$ref", "").removeprefix("#/$defs/")
    if top in defs:  # the file's own type at the top, as a schema's readers expect
        schema = {**defs[top], **schema}
    return schema


def replace(value: T, **changes: Any) -> T:
    """A copy of a frozen Struct with some fields changed (not checked again)."""
    return msgspec.structs.replace(value, **changes)  # type: ignore[type-var]


# ---- problems in words ------------------------------------------------------------------------
_AT = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[('[^']*'|\"[^\"]*\")\]")
_TYPES = {"str": "a valid string", "int": "a valid integer", "float": "a valid number", "bool": "a valid boolean",
          "array": "a valid list", "object": "a valid dictionary", "null": "None", "datetime": "a valid datetime",
          "date": "a valid date"}
_GOT = {"str": "text", "int": "a number", "float": "a number", "bool": "true or false", "array": "a list",
        "object": "a table", "null": "nothing"}
_BOUNDS = {">=": "greater than or equal to", ">": "greater than", "<=": "less than or equal to", "<": "less than"}
_LENGTH = {">=": "at least", "<=": "at most"}


def _where(path: str) -> list[str | int]:
    where: list[str | int] = []
    for name, index, quoted in _STEP.findall(path):
        where.append(name or (int(index) if index else quoted[1:-1]))
    return where


def _kind_words(kind: str) -> str:
    names = [k.strip(" `") for k in re.split(r" \| |, | or ", kind) if k.strip(" `")]
    return " or ".join(_TYPES.get(n, n) for n in names)


def problem(exc: ValidationError) -> Problem:
    """msgspec's message ("Expected `int` >= 300 - at `$.screen.viewing_distance_mm`") as a
    ``Problem`` (["screen", "viewing_distance_mm"], "Input should be greater than or equal to 300")."""
    text = str(exc)
    where: list[str | int] = []
    found = _AT.search(text)
    if found:
        where = _where(found.group("path"))
        text = text[:found.start()]
    if m := re.fullmatch(r"Object missing required field `(.+)`", text):
        return Problem([*where, m.group(1)], "Field required", "missing")
    if m := re.fullmatch(r"Object contains unknown field `(.+)`", text):
        return Problem([*where, m.group(1)], "unknown key", "unknown_key")
    if m := re.fullmatch(r"Expected `(\w+)` of length (>=|<=) (\d+)", text):
        unit = "characters" if m.group(1) == "str" else "items"
        noun = "String" if m.group(1) == "str" else "List" if m.group(1) == "array" else "Dictionary"
        if m.group(1) == "object":
            unit = "keys"
        return Problem(where, f"{noun} should have {_LENGTH[m.group(2)]} {m.group(3)} {unit}", "value")
    if m := re.fullmatch(r"Expected `\w+` (>=|>|<=|<) (-?[\d.e+-]+)", text):
        return Problem(where, f"Input should be {_BOUNDS[m.group(1)]} {m.group(2)}", "value")
    if m := re.fullmatch(r"Expected `str` matching regex '(.*)'", text, re.DOTALL):
        return Problem(where, f"String should match pattern '{m.group(1)}'", "value")
    if m := re.fullmatch(r"Expected (.+?), got `(\w+)`", text):
        return Problem(where, f"Input should be {_kind_words(m.group(1))}, not {_GOT.get(m.group(2), m.group(2))}",
                       "type")
    if m := re.fullmatch(r"Invalid (?:enum )?value (.+)", text):
        return Problem(where, f"unknown value {m.group(1)}", "unknown_value")
    if text.startswith(("Invalid RFC3339", "Invalid ISO")):
        return Problem(where, "Input should be a valid date or time in ISO 8601 (like 2026-01-31T09:30:00+00:00)",
                       "type")
    # A rule of the Struct's own (__post_init__), in its own words; "key: ..." names its field.
    if m := re.fullmatch(r"([a-z_][a-z0-9_]*): (.+)", text, re.DOTALL):
        return Problem([*where, m.group(1)], m.group(2), "value")
    return Problem(where, text, "value")


# ---- the kinds of Struct ----------------------------------------------------------------------
class _KeywordsOnly(msgspec.StructMeta):
    """Every field is given by name (as in a data file), so a required field may follow one
    with a default, in every subclass (msgspec's ``kw_only`` is otherwise per class)."""

    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **config: Any) -> Any:
        config.setdefault("kw_only", True)
        return super().__new__(mcls, name, bases, namespace, **config)


@dataclass_transform(kw_only_default=True, field_specifiers=(msgspec.field,))  # what the metaclass does, for mypy
class _Wire(Struct, metaclass=_KeywordsOnly):
    """FastAPI (in the hub) checks and writes these through msgspec: see the module's docstring."""

    @classmethod
    def __get_pydantic_core_schema__(cls, _source: Any, _handler: Any) -> Any:
        from pydantic_core import PydanticCustomError, core_schema

        def validate(value: Any) -> Any:
            if isinstance(value, cls):
                return value
            try:
                return check(value, cls)
            except Problem as found:
                # The field's place goes with it: the hub adds it to the error's loc (hub/app.py).
                raise PydanticCustomError(found.kind, found.what, {"where": found.where}) from None

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.plain_serializer_function_ser_schema(dump))

    @classmethod
    def __get_pydantic_json_schema__(cls, _core_schema: Any, _handler: Any) -> dict[str, Any]:
        return _inlined(msgspec.json.schema(cls))


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """msgspec's JSON Schema with its ``$defs`` written in place (OpenAPI keeps its own)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.removeprefix("#/$defs/")]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(msgspec.field,))
class Strict(Struct, metaclass=_KeywordsOnly, frozen=True, forbid_unknown_fields=True):
    """Settings and data files: unknown keys refused, never changed once read."""


class Request(_Wire, forbid_unknown_fields=True):
    """What a kiosk sends: the hub refuses any field it did not ask for."""


class Reply(_Wire):
    """What the hub answers: fields a newer hub adds are ignored by an older kiosk."""
