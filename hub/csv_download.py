"""CSV downloads for staff: cells a spreadsheet would run as formulas are made plain text, and
the file name holds only safe characters (anything typed into a URL ends up in it)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from fastapi.responses import Response

#: A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def plain(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def safe_filename(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return (cleaned or "download")[:120]


def csv_download(columns: Sequence[str], rows: Iterable[Sequence[object]], filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([plain(c) for c in row] for row in rows)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
        "Content-Disposition": f'attachment; filename="{safe_filename(filename)}"'})
