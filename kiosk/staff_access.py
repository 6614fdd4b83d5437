"""Staff at the kiosk: who is helping, and the offline fallback.

Officers join with a one-time code from the hub. When the hub cannot be reached, a personal
staff PIN is checked against verifiers the hub sent earlier, keyed to this kiosk's device token
(kiosk/workflows/pin_verifier.py; kept in the kiosk's state directory, never a PIN itself)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.workflows.pin_verifier import verify

log = logging.getLogger("kiosk.staff")


@dataclass
class Officer:
    staff_id: int
    name: str
    offline: bool = False
    #: Count the submission as assisted (on by default; the officer can untick it).
    assisted: bool = True
    #: Keep the idle timer paused after handing back.
    timer_paused: bool = False
    #: The officer handed back: what happens next is the resident's doing, not the officer's
    #: (the submission still counts as assisted).
    handed_back: bool = False
    entered: set[str] = field(default_factory=set)


class StaffPins:
    def __init__(self, state_file: Path, key: bytes) -> None:
        self._file = state_file
        self._key = key

    def save(self, staff: list[dict[str, Any]]) -> None:
        self._file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._file.with_suffix(".tmp")
        tmp.write_text(json.dumps([{"staff_id": s["staff_id"], "name": s["name"], "verifier": s["verifier"]}
                                   for s in staff]))
        tmp.replace(self._file)

    def load(self) -> list[dict[str, Any]]:
        try:
            data = json.loads(self._file.read_text())
        except (OSError, ValueError):
            return []
        return data if isinstance(data, list) else []

    def check(self, pin: str) -> tuple[int, str] | None:
        for staff in self.load():
            if isinstance(staff, dict) and verify(pin, str(staff.get("verifier", "")), self._key):
                return int(staff["staff_id"]), str(staff["name"])
        return None
