"""The maintenance PIN: argon2-checked, with lockout after repeated wrong tries. The count
and the lock are kept on disk, so restarting the app does not reset them. Never logs a PIN."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("kiosk.maintenance")


@dataclass(frozen=True)
class PinResult:
    ok: bool
    tries_left: int = 0
    locked_for: float = 0.0


class Lockout:
    """Counts wrong tries on disk; after ``max_tries`` refuses everything for ``lockout_seconds``."""

    def __init__(self, state_file: Path, max_tries: int, lockout_seconds: float,
                 clock: Callable[[], float] = time.time) -> None:
        self._file = state_file
        self._max = max_tries
        self._lockout = lockout_seconds
        self._clock = clock

    def _load(self) -> tuple[int, float]:
        try:
            data = json.loads(self._file.read_text())
            return int(data.get("failures", 0)), float(data.get("locked_until", 0.0))
        except (OSError, ValueError, AttributeError):
            return 0, 0.0

    def _save(self, failures: int, locked_until: float) -> None:
        self._file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"failures": failures, "locked_until": locked_until}))
        tmp.replace(self._file)

    def locked_for(self) -> float:
        _, until = self._load()
        return max(0.0, until - self._clock())

    def before_try(self) -> PinResult | None:
        """A refusal if locked now; otherwise None (and a spent lock is cleared)."""
        _, until = self._load()
        now = self._clock()
        if until > now:
            return PinResult(False, 0, until - now)
        if until:
            self._save(0, 0.0)
        return None

    def failed(self) -> PinResult:
        failures, _ = self._load()
        failures += 1
        if failures >= self._max:
            self._save(0, self._clock() + self._lockout)
            return PinResult(False, 0, self._lockout)
        self._save(failures, 0.0)
        return PinResult(False, self._max - failures)

    def succeeded(self) -> None:
        self._save(0, 0.0)


class PinLock(Lockout):
    """The maintenance PIN: one argon2 hash, behind a Lockout."""

    def __init__(self, pin_hash: str, state_file: Path, max_tries: int, lockout_seconds: float,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(state_file, max_tries, lockout_seconds, clock)
        self._hash = pin_hash

    def check(self, pin: str) -> PinResult:
        # Loaded with the first PIN checked, not at start (kiosk/workflows/pin_verifier.py).
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError

        failures, until = self._load()
        now = self._clock()
        if until > now:
            log.warning("maintenance PIN try while locked", extra={"locked_for": round(until - now)})
            return PinResult(False, 0, until - now)
        if until:  # the lock has run out: a fresh set of tries
            failures, until = 0, 0.0
        try:
            PasswordHasher().verify(self._hash, pin)
        except (VerificationError, InvalidHashError):
            failures += 1
            if failures >= self._max:
                self._save(0, now + self._lockout)
                log.warning("maintenance PIN wrong; PIN pad locked", extra={"lockout_seconds": self._lockout})
                return PinResult(False, 0, self._lockout)
            self._save(failures, 0.0)
            log.warning("maintenance PIN wrong", extra={"tries_left": self._max - failures})
            return PinResult(False, self._max - failures)
        self._save(0, 0.0)
        log.info("maintenance PIN accepted")
        return PinResult(True)
