"""Every published version of every journey. Kiosks are updated at different times: each sends
the version of the journey it asked from, and its answers are checked and relayed by that
version's steps, not by whatever the hub has now."""

from __future__ import annotations

import hashlib
import json
import logging
import threading

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hub.db import JourneyVersion, insert_for
from kiosk.workflows.model import Journey
from kiosk.workflows.structs import check, dump_json

log = logging.getLogger("hub.journeys")


def definition(journey: Journey) -> str:
    """As JSON: the same text, byte for byte, as the earlier pydantic models wrote it (so a
    stored version's digest still matches)."""
    return dump_json(journey).decode()


class JourneyVersions:
    def __init__(self, sessions: sessionmaker[Session], current: dict[str, Journey]) -> None:
        self._sessions = sessions
        self.current = current
        self._older: dict[tuple[str, int], Journey] = {}
        self._steps: dict[str, set[str] | None] = {}
        self._lock = threading.Lock()

    def publish(self) -> None:
        """Record the hub's journeys (on start). The same version written differently replaces
        the stored one, with a warning: a changed journey should have a new version."""
        with self._sessions() as session:
            for journey in self.current.values():
                text = definition(journey)
                digest = hashlib.sha256(text.encode()).hexdigest()
                stored = session.get(JourneyVersion, (journey.id, journey.version))
                if stored is not None and stored.digest != digest:
                    log.warning("journey %s version %d has changed without a new version number: kiosks still "
                                "on the old text are checked against the new one", journey.id, journey.version)
                session.execute(insert_for(session, JourneyVersion).values(
                    journey_id=journey.id, version=journey.version, definition=text, digest=digest)
                    .on_conflict_do_update(index_elements=["journey_id", "version"],
                                           set_={"definition": text, "digest": digest}))
            session.commit()

    def get(self, journey_id: str, version: int | None = None) -> Journey | None:
        """That version of the journey (None: the hub's own), or None if it was never published."""
        current = self.current.get(journey_id)
        if version is None or (current is not None and current.version == version):
            return current
        key = (journey_id, version)
        with self._lock:
            found = self._older.get(key)
            if found is None:  # published versions never change: each is read once (another
                # process may publish one later, so a version not found is asked again)
                with self._sessions() as session:
                    text = session.scalar(select(JourneyVersion.definition).where(
                        JourneyVersion.journey_id == journey_id, JourneyVersion.version == version))
                if text is not None:
                    found = self._older[key] = check(json.loads(text), Journey)
            return found

    def steps_of(self, journey_id: str, fresh: bool = False) -> set[str] | None:
        """Every step id any published version of the journey has (None: no such journey).
        Kept once read; ``fresh`` reads again."""
        with self._lock:
            if not fresh and journey_id in self._steps:
                return self._steps[journey_id]
        with self._sessions() as session:
            texts = session.scalars(select(JourneyVersion.definition).where(JourneyVersion.journey_id == journey_id))
            steps = {step["id"] for text in texts for step in json.loads(text)["steps"]}
        current = self.current.get(journey_id)
        if current is not None:
            steps |= set(current.step_ids)
        found = steps if steps or current is not None else None
        with self._lock:
            self._steps[journey_id] = found
        return found
