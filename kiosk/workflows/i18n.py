"""Languages as data: one folder per language under config/i18n/, each with ``ui.toml`` (the
language's name, direction, voice, keyboard, review status and the screen texts) and one file
per journey in ``journeys/``. Keys are the English texts, so a changed English sentence shows
up as a missing translation. No Qt here: journeys are translated before the engine sees them,
and the hub could render the same.

Plurals follow CLDR (Babel): a plural entry is a table of forms (one, two, few, many, other).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from babel import Locale
from babel.dates import format_date

from kiosk.workflows.datafile import read_toml
from kiosk.workflows.model import Journey, Option, Step, Submission
from kiosk.workflows.placeholders import N_ as N_
from kiosk.workflows.placeholders import fill, placeholders
from kiosk.workflows.structs import Meta, Strict, check, replace
from kiosk.workflows.structs import Problem as DataProblem

PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
Entry = str | dict[str, str]


class LanguageInfo(Strict):
    code: Annotated[str, Meta(pattern=r"^[a-z]{2,3}$")]
    #: The language's own name for itself, as shown on the language menu.
    name: Annotated[str, Meta(min_length=1)]
    english_name: Annotated[str, Meta(min_length=1)]
    direction: Literal["ltr", "rtl"] = "ltr"
    #: Locale of the speech voice, e.g. "pl_PL".
    voice: Annotated[str, Meta(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]
    #: Extra keyboard letters: "latin" (none), or a layout name in kiosk/views/keyboard.py.
    keyboard: str = "latin"
    #: "reviewed" only once a fluent speaker has checked every text; until then "unreviewed".
    status: Literal["reviewed", "unreviewed"] = "unreviewed"
    reviewed_by: str = ""


class UiFile(Strict):
    language: LanguageInfo
    ui: dict[str, Entry] = {}


class JourneyFile(Strict):
    journey: str
    status: Literal["reviewed", "unreviewed"] = "unreviewed"
    strings: dict[str, str] = {}


class TranslationError(Exception):
    pass


@dataclass
class Catalog:
    """One language: look up screen texts, plurals, error messages, journeys and dates."""

    language: LanguageInfo
    ui: dict[str, Entry] = field(default_factory=dict)
    journeys: dict[str, dict[str, str]] = field(default_factory=dict)
    _locale: Locale | None = None
    _translated: dict[str, Journey] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.language.code

    @property
    def rtl(self) -> bool:
        return self.language.direction == "rtl"

    @property
    def locale(self) -> Locale:
        if self._locale is None:
            self._locale = Locale.parse("en_GB" if self.code == "en" else self.code)
        return self._locale

    def text(self, source: str, /, **values: Any) -> str:
        entry = self.ui.get(source)
        return fill(entry if isinstance(entry, str) else source, values)

    def plural(self, one: str, other: str, count: int, /, **values: Any) -> str:
        return fill(self.plural_template(one, other, count), {"count": count, **values})

    def plural_template(self, one: str, other: str, count: int) -> str:
        """The form for ``count``, placeholders not yet filled."""
        entry = self.ui.get(one)
        if isinstance(entry, dict):
            return entry.get(str(self.locale.plural_form(count))) or entry.get("other") or other
        if isinstance(entry, str):
            return entry
        return one if count == 1 else other

    def journey(self, journey: Journey) -> Journey:
        """The journey with every text in this language (untranslated texts stay English)."""
        if not self.journeys.get(journey.id):
            return journey
        found = self._translated.get(journey.id)
        if found is None or found.version != journey.version:
            strings = self.journeys[journey.id]
            found = map_journey(journey, lambda s: strings.get(s, s) if s else s)
            self._translated[journey.id] = found
        return found

    def date(self, day: dt.date) -> str:
        return str(format_date(day, "d MMMM y", locale=self.locale))

    def weekday_date(self, day: dt.date) -> str:
        return str(format_date(day, "EEEE d MMMM", locale=self.locale))


def english() -> Catalog:
    return Catalog(LanguageInfo(code="en", name="English", english_name="English", voice="en_GB",
                                status="reviewed"))


# ---- journeys: every text, in one walk ------------------------------------------------------

def map_journey(journey: Journey, fn: Callable[[str], str]) -> Journey:
    """A copy of the journey with ``fn`` applied to every text a resident can see or hear."""

    def option(o: Option) -> Option:
        return replace(o, label=fn(o.label), hint=fn(o.hint))

    def step(s: Step) -> Step:
        return replace(s, question=fn(s.question), hint=fn(s.hint), body=[fn(b) for b in s.body],
                       error_name=fn(s.error_name), summary_label=fn(s.summary_label),
                       continue_label=fn(s.continue_label), options=[option(o) for o in s.options])

    def submission(sub: Submission | None) -> Submission | None:
        if sub is None:
            return None
        return replace(sub, submit_label=fn(sub.submit_label), confirmation_title=fn(sub.confirmation_title),
                       what_happens_next=[fn(p) for p in sub.what_happens_next])

    return replace(journey, title=fn(journey.title), tile=fn(journey.tile), group=fn(journey.group),
                   submit=submission(journey.submit), steps=[step(s) for s in journey.steps])


def journey_strings(journey: Journey) -> list[str]:
    """Every text of a journey that needs a translation, in file order, once each."""
    seen: dict[str, None] = {}

    def record(text: str) -> str:
        if text.strip():
            seen.setdefault(text, None)
        return text

    map_journey(journey, record)
    return list(seen)


# ---- loading ------------------------------------------------------------------------------

def _read(path: Path) -> dict[str, Any]:
    return read_toml(path, lambda problem: TranslationError(f"{path}: {problem}"))


def _problem(path: Path, found: DataProblem) -> TranslationError:
    return TranslationError(f"{path}: {found}")


def load_catalog(folder: Path) -> Catalog:
    ui_path = folder / "ui.toml"
    try:
        ui = check(_read(ui_path), UiFile)
    except DataProblem as found:
        raise _problem(ui_path, found) from None
    if ui.language.code != folder.name:
        raise TranslationError(f"{ui_path}: language.code '{ui.language.code}' must match the folder name")
    for key, entry in ui.ui.items():
        if isinstance(entry, dict):
            unknown = set(entry) - set(PLURAL_FORMS)
            if unknown or "other" not in entry:
                raise TranslationError(f"{ui_path}: ui.{key!r}: a plural needs 'other', and only "
                                       f"{', '.join(PLURAL_FORMS)}")
    journeys: dict[str, dict[str, str]] = {}
    for path in sorted((folder / "journeys").glob("*.toml")):
        try:
            jf = check(_read(path), JourneyFile)
        except DataProblem as found:
            raise _problem(path, found) from None
        if jf.journey != path.stem:
            raise TranslationError(f"{path}: journey '{jf.journey}' must match the file name")
        journeys[jf.journey] = dict(jf.strings)
    return Catalog(ui.language, dict(ui.ui), journeys)


def load_catalogs(folder: Path | None) -> dict[str, Catalog]:
    """English first, then each language folder (sorted by its English name)."""
    found = {"en": english()}
    if folder is None or not folder.is_dir():
        return found
    others = [load_catalog(p) for p in sorted(folder.iterdir()) if p.is_dir() and (p / "ui.toml").exists()]
    for catalog in sorted(others, key=lambda c: c.language.english_name):
        found[catalog.code] = catalog
    return found


# ---- the check ----------------------------------------------------------------------------

_TEMPLATE_CALL = re.compile(r'\btn?\(\s*"((?:[^"\\]|\\.)*)"')


def template_sources(paths: Iterable[Path]) -> dict[str, str]:
    """Texts marked for translation in Jinja templates (``tr("...")``, ``trn("...", ...)``).
    Returns text -> where it was first seen."""
    found: dict[str, str] = {}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for match in _TEMPLATE_CALL.finditer(text):
            found.setdefault(match.group(1), f"{path}:{text.count(chr(10), 0, match.start()) + 1}")
    return found


def ui_sources(paths: Iterable[Path]) -> dict[str, str]:
    """Texts marked for translation in the kiosk's code: ``tr("...")``, the first text of
    ``trn("...", "...", n)`` and validator templates (``FieldError("...")``). Returns text ->
    where it was first seen."""
    import ast

    found: dict[str, str] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            # trn("one", "other", n) with a plural entry: the key is the first text.
            name = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else "")
            if name not in ("tr", "trn", "N_", "text", "FieldError", "_error") or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, f"{path}:{node.lineno}")
    return found


@dataclass(frozen=True)
class Problem:
    language: str
    where: str
    text: str
    problem: str

    def __str__(self) -> str:
        return f"{self.language}: {self.where}: {self.problem}: {self.text!r}"


def check_catalog(catalog: Catalog, ui_keys: dict[str, str], journeys: list[Journey]) -> list[Problem]:
    """Missing translations, and translations whose {placeholders} differ from the English."""
    out: list[Problem] = []
    code = catalog.code
    for text in ui_keys:
        entry = catalog.ui.get(text)
        if entry is None:
            out.append(Problem(code, "ui", text, "missing"))
            continue
        forms = entry.values() if isinstance(entry, dict) else [entry]
        wanted = placeholders(text) | ({"count"} if isinstance(entry, dict) else set())
        # A plural form may leave the number out ("two seconds" in Arabic is one word).
        needed = placeholders(text) - ({"count"} if isinstance(entry, dict) else set())
        for form in forms:
            if not form.strip():
                out.append(Problem(code, "ui", text, "empty"))
            elif placeholders(form) - wanted or (needed - placeholders(form)):
                out.append(Problem(code, "ui", text, f"placeholders differ ({form!r})"))
        if isinstance(entry, dict):
            needed = {str(f) for f in catalog.locale.plural_form.tags} | {"other"}
            missing = sorted(needed - set(entry))
            if missing:
                out.append(Problem(code, "ui", text, f"plural forms missing: {', '.join(missing)}"))
    for text in sorted(set(catalog.ui) - set(ui_keys)):
        out.append(Problem(code, "ui", text, "not used any more (remove it)"))
    for journey in journeys:
        strings = catalog.journeys.get(journey.id, {})
        texts = journey_strings(journey)
        for text in texts:
            if text not in strings:
                out.append(Problem(code, f"journey {journey.id}", text, "missing"))
            elif not strings[text].strip():
                out.append(Problem(code, f"journey {journey.id}", text, "empty"))
            elif placeholders(strings[text]) != placeholders(text):
                out.append(Problem(code, f"journey {journey.id}", text, "placeholders differ"))
        for text in sorted(set(strings) - set(texts)):
            out.append(Problem(code, f"journey {journey.id}", text, "not used any more (remove it)"))
    return out
