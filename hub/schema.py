"""The database's schema and its migrations (Alembic, in ``hub/migrations``).

A hub starting on an **empty** database makes the newest schema and records it; one on a
database at an **older** revision refuses to start and says to run ``hub db upgrade`` (after a
backup): an operator decides when a schema changes, never a restart. A database the release
before migrations (0.1.0) made has tables but no revision: ``hub db upgrade`` adopts it as
revision 0001, the schema that release made, and goes on from there.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from hub.db import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The schema the release before migrations made (create_all plus its column-adding helper).
RELEASE_0_1_0 = "0001"
#: Held while a schema is made or changed, so hub processes starting together on PostgreSQL
#: take turns (any fixed number; this one spells "kiosk" in ASCII).
_LOCK_ID = 0x6B696F736B


class SchemaOutOfDate(Exception):
    """The database's schema is not the one this hub was written for."""


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision: the schema this hub needs."""
    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None
    return found


def revision(connection: Connection) -> str | None:
    """The database's revision; None when it has none (empty, or made before migrations)."""
    return MigrationContext.configure(connection).get_current_revision()


def _has_tables(connection: Connection) -> bool:
    return bool(set(inspect(connection).get_table_names()) & set(Base.metadata.tables))


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the database to the newest schema (``hub db upgrade``). Returns (from, to)."""
    with engine.begin() as connection:
        _lock(connection)
        before = revision(connection)
        config = _config(connection)
        if before is None and _has_tables(connection):
            # Made by 0.1.0, which added any missing columns at every start: it is that schema.
            command.stamp(config, RELEASE_0_1_0)
            before = "0.1.0 (before migrations)"
        command.upgrade(config, "head")
    return before, head()


def prepare(engine: Engine) -> None:
    """What every hub process does on start: make an empty database at the newest schema;
    refuse a database at any other revision (raises ``SchemaOutOfDate`` with what to do)."""
    want = head()
    with engine.begin() as connection:
        _lock(connection)
        have = revision(connection)
        if have == want:
            return
        if have is None and not _has_tables(connection):
            Base.metadata.create_all(connection)
            command.stamp(_config(connection), "head")
            return
    raise SchemaOutOfDate(
        f"The database's schema is {'from before migrations (0.1.0)' if have is None else f'at revision {have}'}; "
        f"this hub needs revision {want}. Back the database up, then run `hub db upgrade`."
        if have is None or have in _known() else
        f"The database's schema is at revision {have}, which this hub does not know (a newer hub made it?). "
        f"This hub needs revision {want}.")


def _known() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}
