"""Offline staff PINs, keyed to one kiosk.

A kiosk keeps something to check staff PINs against for when the hub is down. A plain argon2
hash of a 6-digit PIN falls to a million guesses, so a copied list must not be enough: the hub
sends, for each member of staff, the argon2 parameters and salt of their PIN's hash and an
HMAC of the argon2 output under a key only that kiosk can make (derived from its device
token, which sits in its own file, not in the state directory with the list). Checking a PIN
at the kiosk re-runs argon2 and compares the HMAC.

- The list alone (a backup of the state directory, a copied file) verifies nothing.
- Each kiosk's list is different; one cracked list says nothing about another kiosk's key.
- The hub needs no PIN to make a verifier: the argon2 output is in the hash it already keeps.
- Re-keying a kiosk (a new token) turns its old list into noise; it fetches a new one.

Shared by the hub (which makes verifiers) and the kiosk (which checks them); no Qt."""

from __future__ import annotations

import base64
import hashlib
import hmac

PREFIX = "kv1"
_KEY_LABEL = b"council-kiosk offline staff PINs v1"


def kiosk_pin_key(device_token: str) -> bytes:
    return hmac.new(device_token.encode("utf-8"), _KEY_LABEL, hashlib.sha256).digest()


def _b64decode(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _b64encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii").rstrip("=")


def keyed_verifier(argon2_hash: str, key: bytes) -> str:
    """From an argon2id hash the hub keeps ($argon2id$v=19$m=..,t=..,p=..$salt$hash), the
    kiosk's verifier: same parameters and salt, the hash replaced by HMAC(key, hash)."""
    parts = argon2_hash.split("$")
    if len(parts) != 6 or parts[1] != "argon2id":
        raise ValueError("not an argon2id hash")
    raw = _b64decode(parts[5])
    mac = hmac.new(key, raw, hashlib.sha256).digest()
    return "$".join([PREFIX, parts[1], parts[2], parts[3], f"l={len(raw)}", parts[4], _b64encode(mac)])


def verify(pin: str, verifier: str, key: bytes) -> bool:
    # argon2 is loaded with the first PIN checked, not with the kiosk: 1 MiB a kiosk waiting
    # at its attract screen does not need (and checking a PIN takes a good part of a second).
    from argon2 import Type
    from argon2.exceptions import HashingError
    from argon2.low_level import hash_secret_raw

    try:
        prefix, kind, version, params, length, salt, mac = verifier.split("$")
        if prefix != PREFIX or kind != "argon2id":
            return False
        p = {k: int(v) for k, v in (item.split("=", 1) for item in params.split(","))}
        if not (p["m"] <= 1 << 20 and p["t"] <= 20 and p["p"] <= 16):
            return False  # not what the hub makes: no list makes a kiosk spend a minute on a PIN
        raw = hash_secret_raw(pin.encode("utf-8"), _b64decode(salt), time_cost=p["t"], memory_cost=p["m"],
                              parallelism=p["p"], hash_len=int(length.removeprefix("l=")), type=Type.ID,
                              version=int(version.removeprefix("v=")))
    except (ValueError, KeyError, HashingError):
        return False
    return hmac.compare_digest(hmac.new(key, raw, hashlib.sha256).digest(), _b64decode(mac))
