"""Kiosks updated at different times keep working: the hub keeps every published version of a
journey and checks (and relays) each submission by the version the kiosk used."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import httpx

from hub.db import RelayAttempt
from tests.hubserver import ROOT, database_url, start_hub
from tests.test_hub_api import auth, payload


def journeys_v2(tmp: Path) -> Path:
    """The shipped journeys, with missed-bin at version 2: its bin question renamed."""
    folder = tmp / "journeys-v2"
    shutil.copytree(ROOT / "config" / "journeys", folder)
    path = folder / "missed-bin.toml"
    text = path.read_text().replace("bin_type", "which_bin")
    path.write_text(text.replace('id = "missed-bin"\n', 'id = "missed-bin"\nversion = 2\n', 1))
    return folder


def submit(hub_url: str, token: str, version: int, **answers: str) -> httpx.Response:
    body = {**payload(**answers), "journey_version": version}
    return httpx.post(f"{hub_url}/api/v1/submissions", json=body,
                      headers={**auth(token), "Idempotency-Key": uuid.uuid4().hex})


def test_kiosks_on_either_version_of_a_journey_are_served(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    url = database_url(tmp_path)
    old = start_hub(tmp_path / "v1", db_url=url)  # publishes version 1
    old.stop()
    hub = start_hub(tmp_path / "v2", db_url=url, journeys_dir=journeys_v2(tmp_path))
    try:
        assert hub.state.journeys["missed-bin"].version == 2
        # A kiosk not yet updated asks version 1's question; an updated one, version 2's.
        before = submit(hub.url, hub.token, 1, bin_type="general")
        after = submit(hub.url, hub.token, 2, which_bin="recycling")
        assert (before.status_code, after.status_code) == (201, 201), (before.text, after.text)
        # Answers are checked by the version named, not by the hub's newest.
        mixed = submit(hub.url, hub.token, 2, bin_type="general")
        assert mixed.status_code == 422 and "bin_type" in mixed.json()["detail"]
        unknown = submit(hub.url, hub.token, 7, which_bin="general")
        assert unknown.status_code == 422 and "version 7" in unknown.json()["detail"]

        old_case = hub.case(before.json()["reference"])
        new_case = hub.case(after.json()["reference"])
        assert old_case is not None and new_case is not None
        assert (old_case.journey_version, new_case.journey_version) == (1, 2)
        # Both are relayed: the old one by version 1's steps.
        qtbot.waitUntil(lambda: all((c := hub.case(r)) is not None and c.relay_state == "sent"
                                    for r in (before.json()["reference"], after.json()["reference"])), timeout=10000)
        with hub.state.sessions() as session:
            assert session.query(RelayAttempt).filter(RelayAttempt.outcome == "failed").count() == 0
        # Usage events from either kiosk name steps that exist in some published version.
        events = {"events": [{"id": uuid.uuid4().hex, "kind": "step_reached", "at": "2026-11-30T10:00:00Z",
                              "session": uuid.uuid4().hex, "journey": "missed-bin", "step": step}
                             for step in ("bin_type", "which_bin")]}
        assert httpx.post(f"{hub.url}/api/v1/events", json=events, headers=auth(hub.token)).json() == {"accepted": 2}
        bad = {"events": [{**events["events"][0], "id": uuid.uuid4().hex, "step": "no_such_step"}]}
        assert httpx.post(f"{hub.url}/api/v1/events", json=bad, headers=auth(hub.token)).status_code == 422
    finally:
        hub.stop()


#: sha256 of the text pydantic wrote for SMALL (kiosk/workflows/model.py before msgspec).
DIGEST_WRITTEN_BY_PYDANTIC = "73d79af8ecdac518974e502a622d1158d71ceeb0cc684bdbd4ea7b436de01a2e"

SMALL = '''
id = "small"
version = 3
title = "A small journey"
tile = "Small"
group = "Tests"
start = "kind"
[[steps]]
id = "kind"
type = "choice"
question = "Which?"
options = [{value = "a", label = "A"}, {value = "b", label = "B", hint = "The other"}]
next = [{goto = "when", when = {answer = "kind", equals = "a"}}, {goto = "count"}]
[[steps]]
id = "when"
type = "date"
question = "When?"
date_rule = "past_or_today"
quick_dates = ["today", "yesterday"]
next = "count"
[[steps]]
id = "count"
type = "number"
question = "How many?"
min = 1
max = 2.5
whole_number = false
next = "check"
[[steps]]
id = "check"
type = "check_answers"
[submit]
connector = "open311"
confirmation_title = "Sent"
what_happens_next = ["We will look."]
open311 = {service_code = "S1", attributes = {k = "kind"}}
'''


def test_a_journey_is_stored_as_the_same_text_as_before_so_its_digest_still_matches() -> None:
    """Hubs store each published version with a digest of its text, and warn when a version's
    text changes. The text must stay what earlier hubs wrote (with pydantic): this digest was
    taken from their text for this journey (routes, conditions, dates, a float limit, Open311)."""
    import hashlib
    import tomllib

    from hub.journey_versions import definition
    from kiosk.workflows.model import Journey
    from kiosk.workflows.structs import check

    text = definition(check(tomllib.loads(SMALL), Journey))
    assert '"min":1.0,"max":2.5' in text and '"when":{"answer":"kind","equals":"a","not_equals":null' in text
    assert hashlib.sha256(text.encode()).hexdigest() == DIGEST_WRITTEN_BY_PYDANTIC
