"""Marking texts for translation and filling their {placeholders}: the part of translation the
first screen needs, kept apart from the catalogs (msgspec, Babel) so that showing it imports
neither."""

from __future__ import annotations

import string
from typing import Any


def N_(text: str) -> str:
    """Marks a text for translation where it is defined (a table); ``tr`` translates it where shown."""
    return text


class _Values(dict[str, Any]):
    """``{name}`` and ``{Name}`` (capital first letter) from the same value."""

    def __missing__(self, key: str) -> Any:
        lower = key[:1].lower() + key[1:]
        if key[:1].isupper() and lower in self:
            text = str(self[lower])
            return text[:1].upper() + text[1:]
        return "{" + key + "}"


def fill(template: str, values: dict[str, Any]) -> str:
    if not values or "{" not in template:
        return template
    return string.Formatter().vformat(template, (), _Values(values))


def placeholders(template: str) -> set[str]:
    """The {names} a text fills in; {Name} counts as {name} (it is the same value, capitalised)."""
    return {name[:1].lower() + name[1:] for _, name, _, _ in string.Formatter().parse(template) if name}
