"""Submissions arriving together are stored together (hub/intake.py): each answered only once
its commit is done, retries and clashes inside one batch answered as if alone, and a submission
the database refuses failing alone while the rest of its batch is stored."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from hub.db import Case
from hub.devices import revoke_device
from tests.hubserver import HubServer, start_hub
from tests.test_hub_api import auth, payload


@contextmanager
def writer_held(hub: HubServer, expected: int, qtbot: Any) -> Iterator[None]:
    """Hold the hub's intake writer until ``expected`` submissions wait for it, so that they go
    into one transaction together (as they do under load), then let it go."""
    intake = hub.state.intake
    gate = threading.Event()
    intake._writer.submit(gate.wait)
    try:
        yield
        qtbot.waitUntil(lambda: len(intake._queue) == expected, timeout=10_000)
    finally:
        gate.set()


def stored(hub: HubServer, reference: str) -> Case:
    case = hub.case(reference)
    assert case is not None, f"{reference} was not stored"
    return case


def post_all(hub: HubServer, token: str, sends: list[tuple[dict[str, Any], str]]) -> list[concurrent.futures.Future[httpx.Response]]:
    def send(body: dict[str, Any], key: str) -> httpx.Response:
        return httpx.post(f"{hub.url}/api/v1/submissions", json=body, timeout=30,
                          headers={**auth(token), "Idempotency-Key": key})

    pool = concurrent.futures.ThreadPoolExecutor(len(sends))
    futures = [pool.submit(send, body, key) for body, key in sends]
    pool.shutdown(wait=False)
    return futures


def test_submissions_arriving_together_are_each_answered_as_if_alone(hub: HubServer, qtbot: Any) -> None:
    token = hub.new_device("batch-kiosk")
    first, taken = payload(), payload()
    new = [payload() for _ in range(3)]
    key = uuid.uuid4().hex
    hub_case = httpx.post(f"{hub.url}/api/v1/submissions", json=taken, timeout=30,
                          headers={**auth(token), "Idempotency-Key": uuid.uuid4().hex})
    assert hub_case.status_code == 201
    clash = {**payload(), "reference": taken["reference"]}  # another submission, a used reference
    with writer_held(hub, 6, qtbot):
        futures = post_all(hub, token, [(first, key), *((b, uuid.uuid4().hex) for b in new), (clash, uuid.uuid4().hex)])
        qtbot.waitUntil(lambda: len(hub.state.intake._queue) == 5, timeout=10_000)
        futures += post_all(hub, token, [(first, key)])  # the kiosk's retry, in the same batch
    answers = [f.result() for f in futures]
    assert [a.status_code for a in answers] == [201, 201, 201, 201, 409, 200]
    assert answers[5].json() == {"reference": first["reference"], "status": "received", "replayed": True}
    assert answers[4].json()["detail"] == "That reference is already used by another submission"
    for body in (first, *new):
        assert hub.answers(stored(hub, body["reference"])) == body["answers"]
    with hub.state.sessions() as session:
        counts: dict[str, int] = dict(session.execute(text(
            "SELECT reference, count(*) FROM cases WHERE kiosk_id = 'batch-kiosk' GROUP BY reference")).all())
    assert counts == {b["reference"]: 1 for b in (first, taken, *new)}


REFUSE = {
    "sqlite": ["CREATE TRIGGER refuse_one BEFORE INSERT ON cases WHEN NEW.kiosk_id = 'refused-kiosk' "
               "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"],
    "postgresql": [
        "CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN IF NEW.kiosk_id = 'refused-kiosk' THEN "
        "RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_one BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION refuse_one()"],
}
ALLOW = {"sqlite": ["DROP TRIGGER refuse_one"],
         "postgresql": ["DROP TRIGGER refuse_one ON cases", "DROP FUNCTION refuse_one()"]}


def test_a_submission_the_database_refuses_fails_alone(tmp_path: Path, qtbot: Any) -> None:
    """A database error in one submission fails its whole transaction: the others in it are
    stored one by one, and only that one is answered with an error (the kiosk keeps it and
    tries again; nothing of it was stored, so the retry stores it once)."""
    hub = start_hub(tmp_path)
    try:
        dialect = hub.state.sessions.kw["bind"].dialect.name
        good, bad = hub.new_device("good-kiosk"), hub.new_device("refused-kiosk")
        with hub.state.sessions() as session:
            for statement in REFUSE[dialect]:
                session.execute(text(statement))
            session.commit()
        others = [payload() for _ in range(4)]
        refused, refused_key = payload(), uuid.uuid4().hex
        with writer_held(hub, 5, qtbot):
            futures = post_all(hub, good, [(b, uuid.uuid4().hex) for b in others[:2]])
            futures += post_all(hub, bad, [(refused, refused_key)])
            futures += post_all(hub, good, [(b, uuid.uuid4().hex) for b in others[2:]])
        assert sorted(f.result().status_code for f in futures) == [201, 201, 201, 201, 500]
        for body in others:
            assert hub.answers(stored(hub, body["reference"])) == body["answers"]
        with hub.state.sessions() as session:
            assert session.execute(text("SELECT count(*) FROM cases WHERE kiosk_id = 'refused-kiosk'")).scalar() == 0
            for statement in ALLOW[dialect]:
                session.execute(text(statement))
            session.commit()
        retry = httpx.post(f"{hub.url}/api/v1/submissions", json=refused, timeout=30,
                           headers={**auth(bad), "Idempotency-Key": refused_key})
        assert retry.status_code == 201
        assert hub.answers(stored(hub, refused["reference"])) == refused["answers"]
    finally:
        hub.stop()


def test_a_token_revoked_or_replaced_is_refused_at_once_though_remembered(hub: HubServer) -> None:
    """The edge remembers a token it found valid for half a minute; every call is still
    confirmed against the database before anything is done for it."""
    token = hub.new_device("revoke-me")
    with httpx.Client(base_url=hub.url, timeout=30) as c:
        def submit(tok: str) -> httpx.Response:
            return c.post("/api/v1/submissions", json=payload(),
                          headers={**auth(tok), "Idempotency-Key": uuid.uuid4().hex})

        assert submit(token).status_code == 201
        assert hub.state.intake.known(f"Bearer {token}") is not None  # remembered: the edge asks nobody
        new_token = hub.new_device("revoke-me")  # re-keyed: the old token is no longer the kiosk's
        refused = submit(token)
        assert (refused.status_code, refused.json()["detail"]) == (401, "Unknown or revoked device token")
        assert refused.headers["www-authenticate"] == "Bearer"
        assert submit(new_token).status_code == 201
        search = c.post("/api/v1/addresses/search", json={"postcode": "TS18 1AU"}, headers=auth(new_token))
        assert search.status_code == 200
        with hub.state.sessions() as session:
            assert revoke_device(session, "revoke-me")
        assert submit(new_token).status_code == 401
        assert c.post("/api/v1/addresses/search", json={"postcode": "TS18 1AU"},
                      headers=auth(new_token)).status_code == 401
    with hub.state.sessions() as session:
        stored = session.execute(text("SELECT count(*) FROM cases WHERE kiosk_id = 'revoke-me'")).scalar()
    assert stored == 2  # the two accepted, nothing from the refused calls


def test_every_kiosk_route_confirms_its_caller(hub: HubServer) -> None:
    """Every route of the kiosk API but health depends on the device check that confirms a
    remembered token (submissions: the intake confirms its batch itself)."""
    from fastapi import FastAPI
    from fastapi.routing import APIRoute

    from hub import api

    def calls(dependant: Any) -> Iterator[Any]:
        yield dependant.call
        for sub in dependant.dependencies:
            yield from calls(sub)

    app = hub.server.config.app
    assert isinstance(app, FastAPI)
    routes = [r for included in app.routes if hasattr(included, "original_router")
              for r in included.original_router.routes if isinstance(r, APIRoute)]
    kiosk_routes = {r.path: set(calls(r.dependant)) for r in routes if r.path.startswith("/api/v1/")}
    assert len(kiosk_routes) >= 18
    for path, called in kiosk_routes.items():
        if path == "/api/v1/health":
            assert api.device not in called and api.device_to_confirm not in called
        elif path == "/api/v1/submissions":
            assert api.device_to_confirm in called
        else:
            assert api.device in called, f"{path} does not confirm its caller"


def test_a_submission_cancelled_before_its_turn_leaves_the_rest_stored(hub: HubServer) -> None:
    """A request cancelled while its submission waits (at shutdown, say) is left out; the
    submissions queued behind it are still stored and answered."""
    from kiosk.workflows.messages import SubmissionIn
    from kiosk.workflows.structs import check

    intake = hub.state.intake
    token = hub.new_device("cancel-kiosk")
    bodies = [payload(), payload()]

    async def main() -> None:
        caller = await intake.device(f"Bearer {token}")
        assert not isinstance(caller, str)
        gate = threading.Event()
        intake._writer.submit(gate.wait)
        waiting = [asyncio.ensure_future(intake.store(caller, check(b, SubmissionIn), uuid.uuid4().hex,
                                                      f"hash-{i}", 10)) for i, b in enumerate(bodies)]
        while len(intake._queue) < 2:
            await asyncio.sleep(0)  # let both reach the queue
        waiting[0].cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiting[0]  # cancelled, and the cancellation passed on to its queued answer
        gate.set()
        stored, created = await asyncio.wait_for(waiting[1], 10)
        assert created and stored.reference == bodies[1]["reference"]

    # A loop of its own, in a thread of its own (the tests' Qt event loop may be running here).
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, main()).result(timeout=30)
    assert hub.case(bodies[0]["reference"]) is None
    assert hub.answers(stored(hub, bodies[1]["reference"])) == bodies[1]["answers"]
