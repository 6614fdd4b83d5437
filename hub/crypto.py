"""Encryption of personal data at rest (Fernet: AES-128-CBC with HMAC-SHA256)."""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class Sealer:
    """Seals with ``key``; opens what ``key`` or any of ``previous`` sealed (key rotation: the
    new key first, the old ones kept until ``hub rotate-data-key`` has re-sealed everything)."""

    def __init__(self, key: str, previous: tuple[str, ...] | list[str] = ()) -> None:
        self._fernet = MultiFernet([Fernet(k.encode("ascii")) for k in (key, *previous)])

    def seal(self, data: Any) -> bytes:
        return self._fernet.encrypt(json.dumps(data, separators=(",", ":")).encode("utf-8"))

    def open(self, token: bytes) -> Any:
        try:
            return json.loads(self._fernet.decrypt(token))
        except InvalidToken:
            raise ValueError("stored data cannot be decrypted with this key") from None


    def reseal(self, token: bytes) -> bytes:
        """The same data sealed with the current key (whichever key sealed it)."""
        try:
            return self._fernet.rotate(token)
        except InvalidToken:
            raise ValueError("stored data cannot be decrypted with these keys") from None


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")
