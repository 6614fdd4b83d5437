"""Periodic work that must happen once however many hub processes share the database: each
process offers to run a job, and the one whose update moves the job's next run on runs it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from hub.db import HubJob, insert_for, utcnow


def claim(sessions: sessionmaker[Session], name: str, every: dt.timedelta, owner: str,
          now: dt.datetime | None = None) -> bool:
    """True for exactly one caller per ``every``: that caller runs the job now."""
    now = now or utcnow()
    with sessions() as session:
        session.execute(insert_for(session, HubJob).values(name=name, next_run_at=now, last_run_by="")
                        .on_conflict_do_nothing())
        moved = session.scalar(update(HubJob).where(HubJob.name == name, HubJob.next_run_at <= now)
                               .values(next_run_at=now + every, last_run_by=owner).returning(HubJob.name))
        session.commit()
        return moved is not None
