"""Reading the kiosk's disk as someone holding its key would."""

from __future__ import annotations

import re

from kiosk.sealing import MARK, Sealer, Unreadable


def unsealed(data: bytes, key: str) -> bytes:
    """The file as someone holding the kiosk's key would read it: every sealed item in it
    (kiosk/sealing.py) opened. A submission the hub has taken must leave no copy, sealed or not.
    And a short canary such as a year turns up by chance in the base64 of sealed items (about
    one run in four hundred did), so the search must read what they hold, not their letters."""
    sealer = Sealer(key)
    out, at = [], 0
    for run in re.finditer(re.escape(MARK) + rb"[A-Za-z0-9_=-]+", data):
        # The mark, then the base64 of a 24-byte nonce, a 16-byte tag and what was sealed; the
        # bytes after it in the row may be letters too, so try each length base64 can have.
        for length in range(len(MARK) + 56, len(run[0]) + 1, 4):
            try:
                opened = sealer.open(run[0][:length])
            except Unreadable:
                continue
            out += [data[at:run.start()], b"[sealed: ", opened, b"]"]
            at = run.start() + length
            break
    return b"".join([*out, data[at:]])


#: The ids the kiosk makes (``uuid4().hex``) for each usage event and session; an event's id is
#: also its outbox row's key, which SQLite keeps in an index page of its own.
_IDS = re.compile(rb'"(?:id|session)":"([0-9a-f]{32})"')


def ids_in(data: bytes) -> set[bytes]:
    """The ids the kiosk made, as they stand in unsealed events."""
    return set(_IDS.findall(data))


def without_ids(data: bytes, ids: set[bytes]) -> bytes:
    """``data`` with the ids the kiosk made taken out, wherever they stand (gather them from
    every file of the database: a row's index entry can be in the log while the row is in the
    database). Ids are random hex: a short number such as a year turns up in one by chance (one
    run in a hundred or so: 14 ids, and 29 places in each for four digits), and nothing typed is
    ever in one."""
    for found in ids:
        data = data.replace(found, b"<id>")
    return data
