"""Several hub processes on one database: limits counted once for all of them, and (on
PostgreSQL) three real ``hub serve`` processes taking 10,000 submissions from many clients,
every case stored once and relayed once."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bench.harness import hub_process
from bench.hub_load import submit_load
from hub.db import Case, RelayAttempt, make_engine, make_sessions
from tests.hubserver import database_url, start_hub


def test_code_guessing_is_limited_across_hub_processes(tmp_path: Path) -> None:
    """A client spreading its guesses over two hub processes gets no more tries than at one."""
    url = database_url(tmp_path)
    first = start_hub(tmp_path / "a", db_url=url)
    second = start_hub(tmp_path / "b", db_url=url)
    try:
        tries = first.state.settings.handoff.code_tries_per_client
        answers = []
        for n in range(tries + 2):
            hub = (first, second)[n % 2]
            form = httpx.post(f"{hub.url}/h", data={"code": "ABCD-EFGH"})
            answers.append(form.status_code)
        assert 429 not in answers[:tries]
        assert answers[tries:] == [429, 429]  # from either process
    finally:
        first.stop()
        second.stop()


def test_three_hub_processes_store_and_relay_every_case_once(tmp_path: Path, qtbot, hub_database: str) -> None:  # type: ignore[no-untyped-def]
    if hub_database != "postgresql":
        pytest.skip("several relaying hub processes need PostgreSQL (./run-tests' second pass runs this)")
    url = database_url(tmp_path)
    with hub_process(tmp_path / "hub", database_url=url, processes=3) as hub:
        load = submit_load(hub.urls, hub.token, requests=10_000, concurrency=40)
        assert load.errors == 0 and len(load.references) == 10_000
        engine = make_engine(url)
        sessions = make_sessions(engine)

        def pending() -> int:
            with sessions() as session:
                return session.scalar(select(func.count()).where(Case.relay_state == "pending")) or 0

        qtbot.waitUntil(lambda: pending() == 0, timeout=600_000)
    with sessions() as session:
        stored = session.scalars(select(Case.reference)).all()
        assert sorted(stored) == sorted(load.references)  # each once, none lost, none extra
        sent = session.execute(select(RelayAttempt.case_id, func.count()).where(RelayAttempt.outcome == "sent")
                               .group_by(RelayAttempt.case_id)).all()
        assert len(sent) == 10_000 and {n for _, n in sent} == {1}  # relayed once each
        assert set(session.scalars(select(Case.relay_attempts))) == {1}
    engine.dispose()
