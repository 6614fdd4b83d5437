"""Load the address gazetteer from CSV. Bad rows are reported by line and column.

Coordinates are optional: ``latitude`` and ``longitude`` (WGS84 degrees), or ``easting`` and
``northing`` (British National Grid metres, as an LLPG or AddressBase export gives them),
converted to latitude and longitude with pyproj. Back offices place cases by them."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from pyproj import Transformer
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
#: Great Britain and Northern Ireland, with a margin: a coordinate outside is a mistake.
LATITUDES, LONGITUDES = (49.0, 61.5), (-9.0, 2.5)
EASTINGS, NORTHINGS = (0.0, 700000.0), (0.0, 1300000.0)


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
    grid = "easting" in header or "northing" in header
    if grid and not {"easting", "northing"} <= set(header):
        raise GazetteerError(f"{path}: line 1: easting and northing come together")
    if ("latitude" in header) != ("longitude" in header):
        raise GazetteerError(f"{path}: line 1: latitude and longitude come together")
    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True) if grid else None
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
        latitude, longitude = _coordinates(rec, where, to_wgs84)
        out.append(
            Address(
                uprn=uprn, line1=rec["line1"], line2=rec.get("line2", ""), town=rec["town"],
                postcode=postcode, ward=rec.get("ward", ""), bin_round=rec.get("round", ""),
                general_waste_day=rec.get("general_waste_day", ""), recycling_day=rec.get("recycling_day", ""),
                garden_waste_day=rec.get("garden_waste_day", ""), council_tax_band=rec.get("council_tax_band", ""),
                latitude=latitude, longitude=longitude,
            )
        )
    return out


def _number(rec: dict[str, str], column: str, where: str, bounds: tuple[float, float]) -> float:
    try:
        value = float(rec[column])
    except ValueError:
        raise GazetteerError(f"{where}: {column}: {rec[column]!r} is not a number") from None
    if not bounds[0] <= value <= bounds[1]:
        raise GazetteerError(f"{where}: {column}: {value} is outside Great Britain and Northern Ireland "
                             f"({bounds[0]} to {bounds[1]})")
    return value


def _coordinates(rec: dict[str, str], where: str, to_wgs84: Transformer | None
                 ) -> tuple[float | None, float | None]:
    """(latitude, longitude) of a row, or (None, None) where the row leaves them empty."""
    if rec.get("latitude") or rec.get("longitude"):
        return (_number(rec, "latitude", where, LATITUDES), _number(rec, "longitude", where, LONGITUDES))
    if to_wgs84 is not None and (rec.get("easting") or rec.get("northing")):
        easting = _number(rec, "easting", where, EASTINGS)
        northing = _number(rec, "northing", where, NORTHINGS)
        longitude, latitude = to_wgs84.transform(easting, northing)
        return round(latitude, 6), round(longitude, 6)
    return None, None


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
