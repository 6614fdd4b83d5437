"""Answer validators with GOV.UK error wording.

Each validator takes what the resident entered and returns the normalised value, or raises
``FieldError`` with the message to show. No Qt here: the hub's phone pages use them too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kiosk.workflows.i18n import N_, fill
from kiosk.workflows.model import DateRule


@dataclass(frozen=True)
class FieldError(Exception):
    #: The English message, with {placeholders} (the key for its translations).
    template: str
    #: Which part of a compound field to focus ("day", "postcode", "line1"...); "" for the whole.
    part: str = ""
    #: What sort of problem, for insight counts (never the value): missing, format, range,
    #: too_long, incomplete, not_real_date, date_rule, not_offered.
    kind: str = "format"
    #: Values for the placeholders: {name} (and {Name}, with a capital), {min}, {max}...
    values: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        return fill(self.template, dict(self.values))

    def __str__(self) -> str:
        return self.message


def _error(template: str, part: str = "", kind: str = "format", **values: object) -> FieldError:
    return FieldError(template, part, kind, tuple((k, str(v)) for k, v in values.items()))


# Outward code + inward code, per the Royal Mail PAF format (BS 7666 shapes), plus GIR 0AA.
_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?) ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(raw: str) -> str:
    """Upper case, single space before the inward code. Does not validate."""
    compact = re.sub(r"\s+", "", raw).upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def validate_postcode(raw: str, name: str = "your postcode") -> str:
    if not raw.strip():
        raise _error("Enter {name}", "postcode", "missing", name=name)
    value = normalise_postcode(raw)
    if not _POSTCODE.match(value):
        raise FieldError("Postcode must be a real UK postcode, like TS18 1AU", "postcode")
    return value


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^[^\s@]+@{_LABEL}(?:\.{_LABEL})+$")


def validate_email(raw: str, name: str = "your email address") -> str:
    value = raw.strip()
    if not value:
        raise _error("Enter {name}", kind="missing", name=name)
    tld = value.rsplit(".", 1)[-1]
    if len(value) > 254 or not _EMAIL.match(value) or ".." in value or not tld.isalpha() or len(tld) < 2:
        raise FieldError("Enter an email address in the correct format, like name@example.com")
    return value


def validate_phone(raw: str, name: str = "your phone number") -> str:
    """UK numbers: 01/02/03/07/08 numbers of 10-11 digits, or +44 / 0044 forms."""
    value = raw.strip()
    if not value:
        raise _error("Enter {name}", kind="missing", name=name)
    compact = re.sub(r"[\s\-().]", "", value)
    if compact.startswith("+44"):
        compact = "0" + compact[3:]
    elif compact.startswith("0044"):
        compact = "0" + compact[4:]
    if compact.startswith("00"):
        raise FieldError("Enter a UK phone number, like 01642 526 000 or 07700 900 982")
    if not compact.isdigit() or not compact.startswith("0") or len(compact) not in (10, 11):
        raise FieldError("Enter a phone number, like 01642 526 000 or 07700 900 982")
    if compact[1] not in "12378":
        raise FieldError("Enter a phone number, like 01642 526 000 or 07700 900 982")
    if compact.startswith("07") and len(compact) != 11:
        raise FieldError("Mobile numbers must have 11 digits, like 07700 900 982")
    return compact


#: A date with some boxes empty: one message per combination, so each can be translated whole.
_INCOMPLETE = {
    ("day",): N_("{Name} must include a day"),
    ("month",): N_("{Name} must include a month"),
    ("year",): N_("{Name} must include a year"),
    ("day", "month"): N_("{Name} must include a day and month"),
    ("day", "year"): N_("{Name} must include a day and year"),
    ("month", "year"): N_("{Name} must include a month and year"),
}


def validate_text(raw: str, name: str, max_length: int | None) -> str:
    value = raw.strip()
    if not value:
        raise _error("Enter {name}", kind="missing", name=name)
    if max_length is not None and len(value) > max_length:
        raise _error("{Name} must be {max} characters or less", kind="too_long", name=name, max=max_length)
    return value


def validate_number(
    raw: str, name: str, minimum: float | None, maximum: float | None, whole: bool
) -> int | float:
    text = raw.strip().replace(",", "")
    if not text:
        raise _error("Enter {name}", kind="missing", name=name)
    try:
        number: int | float = int(text) if whole else float(text)
    except ValueError:
        if whole:
            raise _error("{Name} must be a whole number, like 3", name=name) from None
        raise _error("{Name} must be a number, like 3", name=name) from None
    if isinstance(number, float) and number != number:  # NaN
        raise _error("{Name} must be a number, like 3", name=name)
    if minimum is not None and maximum is not None and not (minimum <= number <= maximum):
        raise _error("{Name} must be between {min} and {max}", kind="range", name=name, min=_fmt(minimum),
                     max=_fmt(maximum))
    if minimum is not None and number < minimum:
        raise _error("{Name} must be {min} or more", kind="range", name=name, min=_fmt(minimum))
    if maximum is not None and number > maximum:
        raise _error("{Name} must be {max} or less", kind="range", name=name, max=_fmt(maximum))
    return number


def _fmt(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


def validate_date(
    day: str, month: str, year: str, name: str, rule: DateRule | None, today: dt.date
) -> dt.date:
    """GOV.UK date input: day, month and year boxes, each message naming what is missing."""
    parts = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    missing = [p for p, v in parts.items() if not v]
    if len(missing) == 3:
        raise _error("Enter {name}", "day", "missing", name=name)
    if missing:
        raise _error(_INCOMPLETE[tuple(missing)], missing[0], "incomplete", name=name)
    for part, text in parts.items():
        if not text.isdigit():
            raise _error("{Name} must be a real date", part, "not_real_date", name=name)
    if len(parts["year"]) != 4:
        raise FieldError("Year must include 4 numbers", "year")
    try:
        value = dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        bad = "month" if not 1 <= int(parts["month"]) <= 12 else "day"
        raise _error("{Name} must be a real date", bad, "not_real_date", name=name) from None
    if rule == DateRule.PAST and value >= today:
        raise _error("{Name} must be in the past", "day", "date_rule", name=name)
    if rule == DateRule.PAST_OR_TODAY and value > today:
        raise _error("{Name} must be today or in the past", "day", "date_rule", name=name)
    if rule == DateRule.FUTURE and value <= today:
        raise _error("{Name} must be in the future", "day", "date_rule", name=name)
    if rule == DateRule.TODAY_OR_FUTURE and value < today:
        raise _error("{Name} must be today or in the future", "day", "date_rule", name=name)
    return value


#: Case references: 3 groups of 4 from an alphabet with no look-alike characters.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
REFERENCE_PATTERN = rf"^[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}$"
_REFERENCE = re.compile(REFERENCE_PATTERN)


def normalise_reference(raw: str) -> str:
    compact = re.sub(r"[\s\-]", "", raw).upper()
    return "-".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def validate_reference(raw: str, name: str = "your reference") -> str:
    if not raw.strip():
        raise _error("Enter {name}", kind="missing", name=name)
    value = normalise_reference(raw)
    if not _REFERENCE.match(value):
        raise FieldError("Reference must be 12 letters and numbers, like KQ4M-7XTB-3HNP")
    return value
