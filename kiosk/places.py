"""Places with free WiFi and public computers, from the site's data file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from kiosk.workflows.structs import Problem, Strict, check, replace

Offer = Literal["wifi", "computer", "printing"]


class PlaceWords(Strict):
    """A place's opening hours and note in another language (names and addresses stay as they are)."""

    hours: list[str] | None = None
    note: str | None = None


class Place(Strict):
    name: str
    address: str
    offers: list[Offer]
    hours: list[str]
    note: str = ""
    #: By language code ("ar", "pl", "ur"): what a resident reading that language sees instead.
    translations: dict[str, PlaceWords] = {}

    def in_language(self, code: str) -> Place:
        words = self.translations.get(code)
        if words is None:
            return self
        return replace(self, hours=words.hours if words.hours is not None else self.hours,
                       note=words.note if words.note is not None else self.note)


class PlacesFile(Strict):
    places: list[Place]


def load_places(path: Path | None) -> list[Place]:
    if path is None:
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return check(data, PlacesFile).places
    except FileNotFoundError:
        raise ValueError(f"{path}: file not found") from None
    except (tomllib.TOMLDecodeError, Problem) as exc:
        raise ValueError(f"{path}: {exc}") from None


def places_offering(places: list[Place], offer: str) -> list[Place]:
    return [p for p in places if offer in p.offers]
