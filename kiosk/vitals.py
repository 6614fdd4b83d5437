"""What a kiosk tells the hub about itself once a minute (the fleet page and /metrics): its
versions, its outbox, its health and which screen it shows. Codes and counts only."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from kiosk import __version__
from kiosk.outbox import Outbox
from kiosk.workflows import messages as m
from kiosk.workflows.model import Journey
from kiosk.workflows.structs import Struct, dump_json


def journeys_digest(journeys: Iterable[Journey]) -> str:
    """Which journeys, at which versions, and exactly as written: two kiosks with the same digest
    ask the same questions."""
    h = hashlib.sha256()
    for journey in sorted(journeys, key=lambda j: j.id):
        h.update(f"{journey.id}@{journey.version}\n".encode() + dump_json(journey) + b"\n")
    return h.hexdigest()[:16]


def settings_digest(settings: Struct) -> str:
    """The kiosk's settings as loaded (a one-way digest: the outbox key in them stays secret)."""
    return hashlib.sha256(dump_json(settings)).hexdigest()[:16]


class Vitals:
    def __init__(self, outbox: Outbox, state_dir: Path, journeys: Iterable[Journey],
                 config_version: str = "", clock: Callable[[], float] = time.time) -> None:
        self._outbox = outbox
        self._state_dir = state_dir
        self._journeys = journeys_digest(journeys)
        self._config = config_version
        self._clock = clock
        #: When this kiosk app started (the clock's seconds).
        self.started = clock()
        #: Which screen shows, as a code (the controller sets it once it is built).
        self.screen: Callable[[], m.Screen] = lambda: "starting"

    def beat(self, last_error: m.Fault) -> m.Heartbeat:
        try:
            free = shutil.disk_usage(self._state_dir).free // 2**20
        except OSError:
            free = 0
        now = self._clock()
        return m.Heartbeat(
            software_version=__version__, journeys_version=self._journeys, config_version=self._config,
            outbox_queued=self._outbox.depth(), outbox_oldest_seconds=int(self._outbox.oldest_age(now)),
            outbox_held=self._outbox.held(), outbox_quarantined=self._outbox.quarantined(),
            last_error=last_error, uptime_seconds=int(now - self.started), free_disk_mb=free,
            screen=self.screen())
