"""Reading the kiosk's disk as someone holding its key would."""

from __future__ import annotations

import re

from cryptography.fernet import Fernet, InvalidToken


def unsealed(data: bytes, key: str) -> bytes:
    """The file as someone holding the kiosk's key would read it: every sealed (Fernet) item in
    it opened. A submission the hub has taken must leave no copy, sealed or not. And a short
    canary such as a year turns up by chance in the base64 of sealed items (about one run in
    four hundred did), so the search must read what they hold, not their letters."""
    fernet = Fernet(key)
    out, at = [], 0
    for run in re.finditer(rb"gAAAAA[A-Za-z0-9_=-]+", data):
        # A token is the base64 of 57 + 16k bytes; the bytes after it in the row may be letters too.
        for size in range(1, len(run[0])):
            length = 4 * -(-(57 + 16 * size) // 3)
            if length > len(run[0]):
                break
            try:
                opened = fernet.decrypt(run[0][:length])
            except InvalidToken:
                continue
            out += [data[at:run.start()], b"[sealed: ", opened, b"]"]
            at = run.start() + length
            break
    return b"".join([*out, data[at:]])
