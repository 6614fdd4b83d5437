"""The hub's schema changes by Alembic migrations: an old database is upgraded with its cases
kept, an out-of-date one stops the hub with what to do, and the migrations make exactly what
the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from hub.cli import main as hub_main
from hub.crypto import Sealer
from hub.crypto import new_key as hub_new_key
from hub.db import Base, Case, InsightCount, RelayAttempt, make_engine, make_sessions
from hub.schema import SchemaOutOfDate, _config, head, prepare, upgrade
from tests.hubserver import ROOT, database_url, start_hub

RELEASE = Path(__file__).parent / "data" / "release"


def hub_toml(tmp_path: Path, url: str, key: str) -> Path:
    config = tmp_path / "hub.toml"
    config.write_text(
        f'council_name = "Test Borough Council"\ndatabase_url = "{url}"\ndata_key = "{key}"\n'
        f'journeys_dir = "{ROOT / "config" / "journeys"}"\nlessons_dir = "{ROOT / "config" / "lessons"}"\n'
        f'languages_dir = "{ROOT / "config" / "i18n"}"\npublic_url = "http://127.0.0.1:8700"\n')
    return config


def test_a_release_database_is_upgraded_and_keeps_its_cases(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "hub.sqlite3"
    with sqlite3.connect(db) as conn:  # the release's own database, as it left it
        conn.executescript((RELEASE / "hub-0.1.0.sql").read_text())
    key = (RELEASE / "hub-0.1.0.key").read_text().strip()
    config = hub_toml(tmp_path, f"sqlite:///{db}", key)

    # The new hub will not start on it, and says what to do; nothing is changed.
    def dump() -> list[str]:
        with sqlite3.connect(db) as conn:
            return list(conn.iterdump())

    before = dump()
    assert hub_main(["--config", str(config), "create-token", "k2", "--site", "s"]) == 2
    err = capsys.readouterr().err
    assert "from before migrations (0.1.0)" in err and "run `hub db upgrade`" in err
    assert dump() == before  # no table made, no column added
    assert hub_main(["--config", str(config), "db", "revision"]) == 1
    assert capsys.readouterr().out == f"database: none\nthis hub needs: {head()}\n"

    assert hub_main(["--config", str(config), "db", "upgrade"]) == 0
    assert capsys.readouterr().out == f"Database upgraded from 0.1.0 (before migrations) to {head()}\n"
    assert hub_main(["--config", str(config), "db", "upgrade"]) == 0
    assert capsys.readouterr().out == f"Database already at {head()}\n"

    engine = make_engine(f"sqlite:///{db}")
    with make_sessions(engine)() as session:
        cases = session.scalars(select(Case).order_by(Case.reference)).all()
        assert [c.reference for c in cases] == ["MB-OLD000", "MB-OLD001", "MB-OLD002"]
        assert [c.relay_state for c in cases] == ["pending", "sent", "sent"]
        assert all(c.journey_version == 1 and c.relay_owner == "" for c in cases)
        assert Sealer(key).open(cases[0].sealed)["answers"] == {"bin_type": "general"}
        assert session.scalar(select(InsightCount.count)) == 7
    with engine.connect() as conn:  # exactly the schema a new database gets
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()
    # And a hub runs on it (the creation check passes; nothing is made twice).
    assert hub_main(["--config", str(config), "create-token", "k2", "--site", "s"]) == 0


def test_a_database_from_a_newer_hub_is_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    prepare(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaOutOfDate, match="revision 9999, which this hub does not know"):
        prepare(engine)
    engine.dispose()


@pytest.mark.usefixtures("hub_database")
def test_migrations_make_what_the_models_describe(tmp_path: Path) -> None:
    """Upgrading an empty database step by step gives the schema ``create_all`` gives a new
    one (on this run's database: SQLite, or PostgreSQL in the second pass)."""
    engine = make_engine(database_url(tmp_path))
    with engine.begin() as conn:
        command.upgrade(_config(conn), "head")
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    assert upgrade(engine) == (head(), head())
    engine.dispose()


def test_an_upgraded_database_is_served(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A hub started on the upgraded release database relays the case it left pending."""
    db = tmp_path / "hub.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.executescript((RELEASE / "hub-0.1.0.sql").read_text())
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    engine.dispose()
    key = (RELEASE / "hub-0.1.0.key").read_text().strip()
    hub = start_hub(tmp_path, data_key=key, db_url=f"sqlite:///{db}")
    try:
        qtbot.waitUntil(lambda: (c := hub.case("MB-OLD000")) is not None and c.relay_state == "sent", timeout=10000)
        case = hub.case("MB-OLD000")
        assert case is not None and hub.answers(case) == {"bin_type": "general"}
        assert len(hub.cases()) == 3
    finally:
        hub.stop()


def test_the_data_key_is_rotated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A new data key, the old one kept as previous; rotate-data-key re-seals every answer, and
    after it the new key alone opens them and the old one opens nothing."""
    db = tmp_path / "hub.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.executescript((RELEASE / "hub-0.1.0.sql").read_text())
    old = (RELEASE / "hub-0.1.0.key").read_text().strip()
    new = hub_new_key()
    config = hub_toml(tmp_path, f"sqlite:///{db}", new)
    config.write_text(config.read_text() + f'previous_data_keys = ["{old}"]\n')
    assert hub_main(["--config", str(config), "db", "upgrade"]) == 0
    assert hub_main(["--config", str(config), "rotate-data-key"]) == 0
    assert "Re-sealed with data_key: 3 answers" in capsys.readouterr().out
    engine = make_engine(f"sqlite:///{db}")
    with make_sessions(engine)() as session:
        sealed = session.scalars(select(Case.sealed)).all()
    engine.dispose()
    assert [Sealer(new).open(s)["answers"] for s in sealed] == [{"bin_type": "general"}] * 3
    with pytest.raises(ValueError, match="cannot be decrypted"):
        Sealer(old).open(sealed[0])


def test_a_case_the_keys_cannot_open_waits_and_the_rest_are_relayed(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Answers sealed with a key the settings no longer hold: that case waits with the reason on
    its case page (tried again later), and it holds up none of the others in its batch."""
    db = tmp_path / "hub.sqlite3"
    with sqlite3.connect(db) as conn:  # three cases sealed with the release's key
        conn.executescript((RELEASE / "hub-0.1.0.sql").read_text())
        conn.execute("UPDATE cases SET relay_state = 'pending'")
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    engine.dispose()
    old = (RELEASE / "hub-0.1.0.key").read_text().strip()
    hub = start_hub(tmp_path, data_key=hub_new_key(), db_url=f"sqlite:///{db}")  # the old key forgotten
    try:
        with hub.state.sessions() as session:  # a case made now, with the hub's own key
            case = session.scalar(select(Case).where(Case.reference == "MB-OLD000"))
            assert case is not None
            case.sealed = hub.state.sealer.seal(Sealer(old).open(case.sealed))
            session.commit()
        hub.state.relay.wake()
        qtbot.waitUntil(lambda: (c := hub.case("MB-OLD000")) is not None and c.relay_state == "sent", timeout=10000)
        with hub.state.sessions() as session:
            waiting = session.scalars(select(Case).where(Case.reference != "MB-OLD000")).all()
            reasons = session.scalars(select(RelayAttempt.reason).where(RelayAttempt.outcome == "retry")).all()
        assert [(c.relay_state, c.relay_uncertain, c.relay_owner) for c in waiting] == [("pending", False, "")] * 2
        assert all(c.relay_attempts >= 1 and "cannot be decrypted" in c.relay_error for c in waiting)
        assert reasons and all("cannot be decrypted" in r for r in reasons)  # on the case page
    finally:
        hub.stop()
