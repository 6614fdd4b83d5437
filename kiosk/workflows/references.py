"""Case references made at the kiosk, so the resident gets one even when the hub is down."""

from __future__ import annotations

import secrets

from kiosk.workflows.validators import REFERENCE_ALPHABET


def new_reference() -> str:
    """12 characters from a 30-letter alphabet with no look-alikes (~59 bits), as XXXX-XXXX-XXXX."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"
