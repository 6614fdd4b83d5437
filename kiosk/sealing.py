"""How the outbox seals what a resident typed before it touches the disk.

Each item is sealed with PyNaCl's ``SecretBox`` (XSalsa20 and Poly1305, a fresh random 24-byte
nonce each time: what is sealed can be neither read nor altered without the key) and written as
text behind a mark, ``box1:`` and URL-safe base64. The mark lets whoever holds the key (the
kiosk, or a test auditing its disk) find and open every sealed copy wherever SQLite left one.

The key is the outbox key in the kiosk's settings (32 bytes, URL-safe base64, as ``hub
new-key`` prints). The box's own key is derived from it (keyed BLAKE2b), so the same 32 bytes
never serve two ciphers.

Until December 2026 the outbox sealed with Fernet (the ``cryptography`` package). Its Rust
library carries its own OpenSSL: about 4 MiB of a kiosk's memory at rest, for one call a tap.
Items a kiosk sealed then still open: ``cryptography`` is loaded for them, and only when one
is met (after an upgrade, with submissions still queued).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import TYPE_CHECKING

from nacl.encoding import URLSafeBase64Encoder
from nacl.exceptions import CryptoError
from nacl.secret import SecretBox

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

MARK = b"box1:"
#: What the box's key is derived for (BLAKE2b personalisation, at most 16 bytes).
PURPOSE = b"kiosk outbox"


class Unreadable(Exception):
    """Not sealed with this key (a changed key, a damaged disk) or not a sealed item at all."""


class Sealer:
    def __init__(self, key: str) -> None:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
        if len(raw) != 32:
            raise ValueError("the outbox key must decode to 32 bytes")
        self._key = key
        self._box = SecretBox(hashlib.blake2b(key=raw, person=PURPOSE, digest_size=SecretBox.KEY_SIZE).digest())
        self._fernet: Fernet | None = None

    def seal(self, data: bytes) -> bytes:
        return MARK + bytes(self._box.encrypt(data, encoder=URLSafeBase64Encoder))

    def open(self, sealed: bytes) -> bytes:
        if not sealed.startswith(MARK):
            return self._open_fernet(sealed)
        try:
            # Strict: what opens is exactly what was sealed, not a copy with letters added.
            return self._box.decrypt(base64.b64decode(sealed[len(MARK):], altchars=b"-_", validate=True))
        except (CryptoError, ValueError, binascii.Error):  # wrong key, altered, cut short, not base64
            raise Unreadable from None

    def _open_fernet(self, sealed: bytes) -> bytes:
        """An item sealed before December 2026 (Fernet tokens begin ``gAAAAA``)."""
        if not sealed.startswith(b"gAAAAA"):
            raise Unreadable
        from cryptography.fernet import Fernet, InvalidToken

        if self._fernet is None:
            self._fernet = Fernet(self._key.encode("ascii"))
        try:
            return self._fernet.decrypt(sealed)
        except InvalidToken:
            raise Unreadable from None
