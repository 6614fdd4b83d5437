"""Validators: GOV.UK wording, and properties checked over many generated inputs."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.workflows import validators as v
from kiosk.workflows.model import DateRule

TODAY = dt.date(2026, 11, 25)

# Real shapes of UK postcodes: A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA.
REAL_POSTCODES = ["TS18 1AU", "M1 1AE", "B33 8TH", "W1A 0AX", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "GIR 0AA"]


@pytest.mark.parametrize("postcode", REAL_POSTCODES)
def test_real_postcodes_pass_in_any_case_and_spacing(postcode: str) -> None:
    squashed = postcode.replace(" ", "")
    for form in (postcode, postcode.lower(), squashed, f"  {squashed.lower()} ", squashed[:-3] + "   " + squashed[-3:]):
        assert v.validate_postcode(form) == postcode


@pytest.mark.parametrize("bad", ["TS18", "12345", "TS18 1A", "QS18 1AU", "TS18 1CU", "TS181AUX", "@@@ @@@"])
def test_bad_postcodes_get_the_specific_message(bad: str) -> None:
    with pytest.raises(v.FieldError, match="^Postcode must be a real UK postcode, like TS18 1AU$"):
        v.validate_postcode(bad)


def test_empty_postcode_is_an_instruction() -> None:
    with pytest.raises(v.FieldError, match="^Enter your postcode$"):
        v.validate_postcode("   ")


outward = st.sampled_from(["TS18", "M1", "B33", "W1A", "CR2", "DN55", "EC1A", "SW1A", "L1", "NE10"])
inward = st.tuples(st.sampled_from(string.digits), st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"),
                   st.sampled_from("ABDEFGHJLNPQRSTUWXYZ")).map("".join)


@given(outward, inward, st.sampled_from(["", " ", "  "]), st.booleans())
def test_postcode_normalisation_is_stable(out: str, inn: str, gap: str, lower: bool) -> None:
    raw = f"{out}{gap}{inn}"
    raw = raw.lower() if lower else raw
    value = v.validate_postcode(raw)
    assert value == f"{out} {inn}"
    assert v.validate_postcode(value) == value  # idempotent


@given(st.text(max_size=12))
def test_postcode_validator_never_crashes(text: str) -> None:
    try:
        value = v.validate_postcode(text)
    except v.FieldError as err:
        assert err.message in ("Enter your postcode", "Postcode must be a real UK postcode, like TS18 1AU")
    else:
        assert value == value.upper() and " " in value


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_any_real_date_round_trips(d: dt.date) -> None:
    assert v.validate_date(str(d.day), str(d.month), str(d.year), "the date", None, TODAY) == d


@given(st.text(max_size=3), st.text(max_size=3), st.text(max_size=5))
def test_date_validator_never_crashes_and_always_explains(day: str, month: str, year: str) -> None:
    try:
        v.validate_date(day, month, year, "the date", None, TODAY)
    except v.FieldError as err:
        assert err.message and err.part in ("day", "month", "year")


@pytest.mark.parametrize(("parts", "message", "part"), [
    (("", "", ""), "Enter the date your bin was due", "day"),
    (("31", "", "2026"), "The date your bin was due must include a month", "month"),
    (("", "", "2026"), "The date your bin was due must include a day and month", "day"),
    (("31", "2", "2026"), "The date your bin was due must be a real date", "day"),
    (("1", "13", "2026"), "The date your bin was due must be a real date", "month"),
    (("1", "2", "26"), "Year must include 4 numbers", "year"),
    (("x", "2", "2026"), "The date your bin was due must be a real date", "day"),
    (("26", "11", "2026"), "The date your bin was due must be today or in the past", "day"),
])
def test_date_messages_follow_govuk(parts: tuple[str, str, str], message: str, part: str) -> None:
    with pytest.raises(v.FieldError) as caught:
        v.validate_date(*parts, "the date your bin was due", DateRule.PAST_OR_TODAY, TODAY)
    assert (caught.value.message, caught.value.part) == (message, part)


@pytest.mark.parametrize(("raw", "expected"), [
    ("07700 900 982", "07700900982"), ("+44 7700 900982", "07700900982"), ("0044 7700 900982", "07700900982"),
    ("(01642) 526 000", "01642526000"), ("01642-526000", "01642526000"), ("0808 157 0192", "08081570192"),
    ("020 7946 0000", "02079460000"),
])
def test_uk_phone_numbers(raw: str, expected: str) -> None:
    assert v.validate_phone(raw) == expected


@pytest.mark.parametrize("bad", ["12345", "0770090098", "077009009821", "+33 1 23 45 67 89", "phone me", "0900 123 456"])
def test_bad_phone_numbers(bad: str) -> None:
    with pytest.raises(v.FieldError):
        v.validate_phone(bad)


@given(st.from_regex(r"\A07[0-9]{9}\Z"), st.sampled_from(["", " ", "-"]))
def test_mobile_numbers_in_any_grouping(number: str, sep: str) -> None:
    grouped = f"{number[:5]}{sep}{number[5:8]}{sep}{number[8:]}"
    assert v.validate_phone(grouped) == number
    assert v.validate_phone("+44" + grouped[1:]) == number


@pytest.mark.parametrize("good", ["name@example.com", "first.last+tag@sub.example.co.uk", "a@b.io"])
def test_good_emails(good: str) -> None:
    assert v.validate_email(f" {good} ") == good


@pytest.mark.parametrize("bad", ["name", "name@", "@example.com", "name@example", "na me@example.com",
                                 "name@exa mple.com", "name@@example.com", "name@example..com", "name@example.c0m"])
def test_bad_emails(bad: str) -> None:
    with pytest.raises(v.FieldError, match="^Enter an email address in the correct format, like name@example.com$"):
        v.validate_email(bad)


@given(st.emails())
def test_generated_emails_either_pass_unchanged_or_get_the_format_message(email: str) -> None:
    try:
        assert v.validate_email(email) == email
    except v.FieldError as err:
        assert err.message.startswith("Enter an email address in the correct format")


@given(st.text(max_size=60))
def test_email_validator_never_crashes(text: str) -> None:
    try:
        v.validate_email(text)
    except v.FieldError as err:
        assert err.message


def test_numbers_and_text_lengths() -> None:
    assert v.validate_number(" 3 ", "the number of items", 1, 5, True) == 3
    with pytest.raises(v.FieldError, match="^The number of items must be a whole number, like 3$"):
        v.validate_number("2.5", "the number of items", 1, 5, True)
    with pytest.raises(v.FieldError, match="^The number of items must be between 1 and 5$"):
        v.validate_number("6", "the number of items", 1, 5, True)
    with pytest.raises(v.FieldError, match="^Details must be 10 characters or less$"):
        v.validate_text("x" * 11, "details", 10)


@given(st.text(alphabet=v.REFERENCE_ALPHABET, min_size=12, max_size=12))
def test_references_accept_any_spacing_and_case(chars: str) -> None:
    canonical = f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"
    assert v.validate_reference(chars.lower()) == canonical
    assert v.validate_reference(f"{chars[:4]} {chars[4:8]} {chars[8:]}") == canonical
