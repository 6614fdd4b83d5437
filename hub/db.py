"""Hub storage (SQLAlchemy 2): SQLite by default, PostgreSQL (psycopg 3) for larger councils.

The schema is made and changed by ``hub.schema`` (Alembic), never here."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Device(Base):
    """A kiosk allowed to call the API. Only a SHA-256 of its token is kept."""

    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), unique=True)
    site: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    #: The kiosk's outbox as it last reported it (counts only): refused items it holds, and
    #: unreadable ones it set aside. Staff are alerted to either.
    outbox_queued: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    outbox_held: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    outbox_quarantined: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    outbox_reported_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Address(Base):
    __tablename__ = "addresses"
    uprn: Mapped[str] = mapped_column(String(12), primary_key=True)
    line1: Mapped[str] = mapped_column(String(100))
    line2: Mapped[str] = mapped_column(String(100), default="")
    town: Mapped[str] = mapped_column(String(60))
    postcode: Mapped[str] = mapped_column(String(8), index=True)
    ward: Mapped[str] = mapped_column(String(60), default="")
    bin_round: Mapped[str] = mapped_column(String(20), default="")
    general_waste_day: Mapped[str] = mapped_column(String(10), default="")
    recycling_day: Mapped[str] = mapped_column(String(10), default="")
    garden_waste_day: Mapped[str] = mapped_column(String(10), default="")
    council_tax_band: Mapped[str] = mapped_column(String(1), default="")
    #: WGS84, from the gazetteer (converted from easting and northing where it gave those).
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)


class Case(Base):
    """One submission. Answers are sealed; the rest holds no personal data."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(14), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: SHA-256 of what was submitted under the key: a retry must send the same ("" before this).
    request_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    journey_id: Mapped[str] = mapped_column(String(64), index=True)
    journey_title: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(20))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    site: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="received")
    connector: Mapped[str] = mapped_column(String(20))
    #: pending -> sent, or failed (needs a person); attempts and next try for backoff.
    relay_state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    relay_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_relay_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    relay_error: Mapped[str] = mapped_column(Text, default="")
    external_id: Mapped[str] = mapped_column(String(64), default="")
    #: An earlier try may have reached the back office (a timeout after sending): the next one
    #: looks for the case there before posting it again.
    relay_uncertain: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    #: The hub process relaying it now, and until when: another process leaves it alone until
    #: the lease runs out (a process that died mid-send gives it up that way).
    relay_owner: Mapped[str] = mapped_column(String(64), default="", server_default="")
    relay_lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    #: The version of the journey the kiosk used: the answers are read by that version's steps.
    journey_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: When the back office's status was last asked for (tracking asks at most every few minutes).
    status_checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    #: Assisted cases: the officer's staff id, and which steps the officer answered.
    officer_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    officer_entered: Mapped[str] = mapped_column(String(500), default="", server_default="")
    updates: Mapped[list[CaseUpdate]] = relationship(back_populates="case", order_by="CaseUpdate.at")


class RelayAttempt(Base):
    """One try at handing a case to its back office, for the staff case page: what happened
    and why (the back office's reason, never the answers)."""

    __tablename__ = "relay_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    #: sent, retry, failed, or resend (a member of staff asked for another try).
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(500), default="")


class CaseUpdate(Base):
    """What a resident may see when tracking: plain status lines, no personal data."""

    __tablename__ = "case_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    text: Mapped[str] = mapped_column(String(300))
    #: A back office's note, when the council shows them (`open311.show_status_notes`): written
    #: for staff, so it may name people; encrypted like answers.
    note_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    case: Mapped[Case] = relationship(back_populates="updates")


class StaffUser(Base):
    __tablename__ = "staff_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    #: The site whose help requests they see; "" for every site.
    site: Mapped[str] = mapped_column(String(64), default="", server_default="")
    #: argon2 hash of a personal staff PIN, synced to their site's kiosks for when the hub is down.
    pin_hash: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: A disabled account signs in nowhere, its sessions are gone, its PIN leaves the kiosks.
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class StaffSession(Base):
    """A signed-in staff browser. Only a hash of the cookie is kept."""

    __tablename__ = "staff_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    csrf: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class HelpRequest(Base):
    """A resident pressed "Get help". Where they are in a journey, never their answers."""

    __tablename__ = "help_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    site: Mapped[str] = mapped_column(String(64), index=True)
    journey: Mapped[str] = mapped_column(String(64), default="")
    step: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="open")
    claimed_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


class AssistCode(Base):
    """A one-time code an officer types at the kiosk to join: 6 digits, 2 minutes, one kiosk."""

    __tablename__ = "assist_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[int] = mapped_column(Integer)
    help_id: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    #: Wrong codes typed at this kiosk while this one was live; a few end it.
    wrong_tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AuditEntry(Base):
    """Who did what to a resident's session, and when. Never an answer."""

    __tablename__ = "audit_log"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    staff_id: Mapped[int] = mapped_column(Integer)
    staff_name: Mapped[str] = mapped_column(String(100))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    site: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(200), default="")


def audit(session: Session, staff_id: int, staff_name: str, kiosk_id: str, site: str, action: str,
          detail: str = "", entry_id: str | None = None, at: dt.datetime | None = None) -> None:
    session.add(AuditEntry(id=entry_id or secrets.token_hex(16), at=at or utcnow(), staff_id=staff_id,
                           staff_name=staff_name, kiosk_id=kiosk_id, site=site, action=action, detail=detail[:200]))


class Handoff(Base):
    """A journey moved from a kiosk to a resident's phone. Only hashes of the link token and
    the short code are kept; the answers are sealed, and deleted on completion or expiry."""

    __tablename__ = "handoffs"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    journey_id: Mapped[str] = mapped_column(String(64))
    site: Mapped[str] = mapped_column(String(64))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    claim_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    reference: Mapped[str] = mapped_column(String(14), default="")
    #: The resident's language at the kiosk: the phone pages carry on in it.
    language: Mapped[str] = mapped_column(String(3), default="en", server_default="en")
    #: The version of the journey the kiosk was asking: the phone carries on with that one.
    journey_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class InsightEvent(Base):
    """A raw usage event from a kiosk: ids, counts and fixed reasons only. Kept for
    ``insight.raw_retention_days``, then deleted; the counts below stay."""

    __tablename__ = "insight_events"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    session_id: Mapped[str] = mapped_column(String(32), index=True)
    site: Mapped[str] = mapped_column(String(64))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    journey: Mapped[str] = mapped_column(String(64), default="")
    step: Mapped[str] = mapped_column(String(64), default="")


class InsightCount(Base):
    """Daily counts per site: what the insight pages read."""

    __tablename__ = "insight_counts"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    site: Mapped[str] = mapped_column(String(64), primary_key=True)
    metric: Mapped[str] = mapped_column(String(30), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class TasterBooking(Base):
    """A taster session booked at the hub for some terminals: each opens itself at the time."""

    __tablename__ = "taster_bookings"
    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(String(64), index=True)
    #: Space-separated kiosk ids.
    kiosks: Mapped[str] = mapped_column(String(1000))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    #: Space-separated lesson ids.
    lessons: Mapped[str] = mapped_column(String(1000))
    group_name: Mapped[str] = mapped_column(String(40), default="")
    created_by: Mapped[int] = mapped_column(Integer)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class TasterRun(Base):
    """A taster session on one terminal, as the terminal last reported it, plus what staff asked
    of it from the hub (more time, end now). Counts only: no learner's name or typing."""

    __tablename__ = "taster_runs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    site: Mapped[str] = mapped_column(String(64), index=True)
    booking_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    group_name: Mapped[str] = mapped_column(String(40), default="")
    lessons: Mapped[str] = mapped_column(String(1000))
    started: Mapped[str] = mapped_column(String(1000), default="")
    completed: Mapped[str] = mapped_column(String(1000), default="")
    opened_by: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    #: Staff at the hub: minutes added in all, and "end it now".
    hub_extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    #: Of those, the minutes the terminal has applied (its ends_at includes them).
    hub_extra_applied: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    end_requested: Mapped[bool] = mapped_column(default=False)


class TasterCertificate(Base):
    """What a learner takes home: the lessons completed; a first name only if they added one."""

    __tablename__ = "taster_certificates"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    site: Mapped[str] = mapped_column(String(64))
    lessons: Mapped[str] = mapped_column(String(1000))
    #: Before names were sealed: kept readable for certificates made then, "" since.
    first_name: Mapped[str] = mapped_column(String(30), default="")
    #: The learner's first name, if they added one, encrypted with the data key like answers.
    first_name_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class JourneyVersion(Base):
    """Every version of every journey a hub has published: a kiosk updated later than the hub
    (or earlier) sends the version it used, and its answers are checked against that one."""

    __tablename__ = "journey_versions"
    journey_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The journey as JSON (the model's own dump), and a SHA-256 of it.
    definition: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class LimitHit(Base):
    """One counted try for a rate limit or the sign-in guard, shared by every hub process."""

    __tablename__ = "limit_hits"
    id: Mapped[int] = mapped_column(primary_key=True)
    limiter: Mapped[str] = mapped_column(String(40))
    client: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime)


Index("ix_limit_hits_client", LimitHit.limiter, LimitHit.client, LimitHit.at)
Index("ix_limit_hits_at", LimitHit.limiter, LimitHit.at)


class LimitBlock(Base):
    """A client or account that must wait before trying again (the sign-in guard)."""

    __tablename__ = "limit_blocks"
    limiter: Mapped[str] = mapped_column(String(40), primary_key=True)
    client: Mapped[str] = mapped_column(String(200), primary_key=True)
    until: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class HubJob(Base):
    """A periodic job every hub process offers to run: the one that moves ``next_run_at``
    on first runs it, so the sweeps run once however many processes there are."""

    __tablename__ = "hub_jobs"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    next_run_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_run_by: Mapped[str] = mapped_column(String(64), default="")


class Heartbeat(Base):
    """How a kiosk last said it was: versions, its outbox, health; never a resident's data."""

    __tablename__ = "heartbeats"
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    site: Mapped[str] = mapped_column(String(64), index=True)
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    software_version: Mapped[str] = mapped_column(String(32))
    #: A digest of the journeys it runs (and their versions), and of its settings file.
    journeys_version: Mapped[str] = mapped_column(String(64))
    config_version: Mapped[str] = mapped_column(String(64))
    outbox_queued: Mapped[int] = mapped_column(Integer)
    outbox_oldest_seconds: Mapped[int] = mapped_column(Integer)
    outbox_held: Mapped[int] = mapped_column(Integer)
    outbox_quarantined: Mapped[int] = mapped_column(Integer)
    #: A code for the last fault (e.g. "hub_unreachable"), "" when all is well.
    last_error: Mapped[str] = mapped_column(String(40))
    uptime_seconds: Mapped[int] = mapped_column(Integer)
    free_disk_mb: Mapped[int] = mapped_column(Integer)
    #: Which screen it shows, as a code ("attract", "journey", "assist", "taster", "closed").
    screen: Mapped[str] = mapped_column(String(20))


#: Every column holding data sealed with the data key (key rotation re-seals them all).
SEALED = ((Case, "sealed", "answers"), (CaseUpdate, "note_sealed", "back-office notes"),
          (Handoff, "sealed", "handoffs"), (TasterCertificate, "first_name_sealed", "certificate names"))


def reseal_all(session: Session, sealer: Any) -> dict[str, int]:
    """Re-seal every sealed value with the sealer's current key, a thousand rows at a commit."""
    counts = {}
    for model, column, what in SEALED:
        done, last = 0, None
        key = model.__mapper__.primary_key[0]
        while True:
            query = select(model).where(getattr(model, column).is_not(None)).order_by(key).limit(1000)
            rows = session.scalars(query if last is None else query.where(key > last)).all()
            if not rows:
                break
            for row in rows:
                setattr(row, column, sealer.reseal(getattr(row, column)))
            last = getattr(rows[-1], key.name)
            done += len(rows)
            session.commit()
        counts[what] = done
    return counts


def insert_for(session: Session, model: type[Base]) -> Any:
    """An INSERT in the session's own dialect, with ``on_conflict_do_nothing`` and
    ``on_conflict_do_update``: how a count goes up or a row arrives once, whichever of several
    hub processes gets there first, without reading it first."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def make_engine(url: str) -> Engine:
    """An engine for ``database_url``. ``postgresql://`` means psycopg 3 (the one PostgreSQL
    driver the hub ships with). Makes no tables: ``hub.schema.prepare`` does that."""
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    connect_args = {"check_same_thread": False, "timeout": 30} if url.startswith("sqlite") else {}
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # No ping before each use (a round trip per session): a dropped connection fails its request
    # once and is replaced; connections are renewed every half hour anyway.
    # Ten connections kept (SQLAlchemy's default is five, and more in use at once were opened and
    # closed each time: costly for PostgreSQL, and each new SQLite connection reads the schema).
    engine = create_engine(url, connect_args=connect_args, pool_recycle=1800, pool_size=10)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    return engine


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
