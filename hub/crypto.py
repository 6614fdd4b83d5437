"""Encryption of personal data at rest (Fernet: AES-128-CBC with HMAC-SHA256)."""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken


class Sealer:
    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode("ascii"))

    def seal(self, data: Any) -> bytes:
        return self._fernet.encrypt(json.dumps(data, separators=(",", ":")).encode("utf-8"))

    def open(self, token: bytes) -> Any:
        try:
            return json.loads(self._fernet.decrypt(token))
        except InvalidToken:
            raise ValueError("stored data cannot be decrypted with this key") from None


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")
