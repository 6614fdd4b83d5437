"""Load the address gazetteer from CSV. Bad rows are reported by line and column."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.orm import Session

from hub.db import Address
from kiosk.workflows.validators import FieldError, validate_postcode
from kiosk.workflows.words import GARDEN_WASTE, GENERAL_WASTE, RECYCLING, WEEKDAY_NAMES

COLUMNS = [
    "uprn", "line1", "line2", "town", "postcode", "ward", "round",
    "general_waste_day", "recycling_day", "garden_waste_day", "council_tax_band",
]
DAYS = list(WEEKDAY_NAMES)


class GazetteerError(Exception):
    pass


def read_gazetteer(path: Path) -> list[Address]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise GazetteerError(f"{path}: file not found") from None
    with handle:
        rows = [r for r in csv.reader(handle) if r and not r[0].startswith("#")]
    if not rows:
        raise GazetteerError(f"{path}: empty file")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise GazetteerError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
    out: list[Address] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        rec = dict(zip(header, (c.strip() for c in row), strict=False))
        where = f"{path}: line {number}"
        uprn = rec.get("uprn", "")
        if not uprn.isdigit() or len(uprn) > 12:
            raise GazetteerError(f"{where}: uprn: must be up to 12 digits, got {uprn!r}")
        if uprn in seen:
            raise GazetteerError(f"{where}: uprn: {uprn} appears twice")
        seen.add(uprn)
        try:
            postcode = validate_postcode(rec.get("postcode", ""))
        except FieldError:
            raise GazetteerError(f"{where}: postcode: {rec.get('postcode')!r} is not a UK postcode") from None
        if not rec.get("line1") or not rec.get("town"):
            raise GazetteerError(f"{where}: line1 and town must not be empty")
        for col in ("general_waste_day", "recycling_day", "garden_waste_day"):
            if rec.get(col) and rec[col] not in DAYS:
                raise GazetteerError(f"{where}: {col}: {rec[col]!r} is not a day of the week")
        out.append(
            Address(
                uprn=uprn, line1=rec["line1"], line2=rec.get("line2", ""), town=rec["town"],
                postcode=postcode, ward=rec.get("ward", ""), bin_round=rec.get("round", ""),
                general_waste_day=rec.get("general_waste_day", ""), recycling_day=rec.get("recycling_day", ""),
                garden_waste_day=rec.get("garden_waste_day", ""), council_tax_band=rec.get("council_tax_band", ""),
            )
        )
    return out


def load_gazetteer(session: Session, path: Path) -> int:
    """Replace the addresses with the file's, in one transaction (all or nothing)."""
    addresses = read_gazetteer(path)
    session.execute(delete(Address))
    session.add_all(addresses)
    session.commit()
    return len(addresses)


def next_weekday(day: str, today: dt.date) -> dt.date:
    """The next date on that weekday, today included."""
    ahead = (DAYS.index(day) - today.weekday()) % 7
    return today + dt.timedelta(days=ahead)


def collections(address: Address, today: dt.date) -> list[dict[str, str]]:
    out = []
    for label, day in (
        (GENERAL_WASTE, address.general_waste_day),
        (RECYCLING, address.recycling_day),
        (GARDEN_WASTE, address.garden_waste_day),
    ):
        if day:
            out.append({"bin": label, "day": day, "next": next_weekday(day, today).isoformat()})
    return out


def bulky_slots(days: list[str], lead_days: int, count: int, today: dt.date) -> list[dt.date]:
    out: list[dt.date] = []
    d = today + dt.timedelta(days=lead_days)
    while len(out) < count:
        if d.strftime("%A") in days:
            out.append(d)
        d += dt.timedelta(days=1)
    return out
