"""The durable outbox: nothing lost, nothing duplicated, whatever the hub or the kiosk does."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from PySide6.QtWidgets import QLineEdit

from kiosk.hub_client import HubClient, HubReplyInvalid, HubUnavailable
from kiosk.outbox import Outbox
from kiosk.outbox_worker import OutboxWorker
from kiosk.workflows.references import new_reference
from tests.fakehub import Reply, fake_hub
from tests.hubserver import HubServer, free_port, start_hub
from tests.qt_async import run
from tests.resident import OUTBOX_KEY, make_kiosk
from tests.sealed import unsealed

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def payload(details: str = "none") -> dict[str, Any]:
    return {
        "reference": new_reference(), "journey_id": "missed-bin", "journey_version": 1, "channel": "self-service",
        "submitted_at": dt.datetime.now(dt.UTC).isoformat(), "answers": {"bin_type": "general", "details": details},
        "summary": [{"question": "Bin", "answer": "General waste"}],
    }


def test_hub_down_then_up_delivers_once_and_tells_the_truth(qtbot, qasync_loop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    token = "kt_" + uuid.uuid4().hex
    kiosk = make_kiosk(qtbot, None, tmp_path / "kiosk", hub_url=f"http://127.0.0.1:{port}", token=token)
    try:
        reference = kiosk.report_missed_bin()
        # The resident has a reference at once, and is told the truth about sending.
        qtbot.waitUntil(lambda: kiosk.label_text("send_status").startswith("Saved on this kiosk"), timeout=5000)
        assert kiosk.services.outbox.depth() == 1
        hub = start_hub(tmp_path / "hub", port=port, token=token)
        try:
            qtbot.waitUntil(lambda: kiosk.services.outbox.depth() == 0, timeout=10000)
            qtbot.waitUntil(lambda: kiosk.label_text("send_status").startswith("Sent"), timeout=5000)
            assert [c.reference for c in hub.cases()] == [reference]
        finally:
            hub.stop()
    finally:
        kiosk.close()


def test_killed_between_commit_and_send_is_sent_on_restart_exactly_once(qtbot, qasync_loop, hub: HubServer,  # type: ignore[no-untyped-def]
                                                                       tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    body = payload("sent after a crash")
    child = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "outbox_child.py"), str(path), OUTBOX_KEY, uuid.uuid4().hex,
         json.dumps(body)],
        capture_output=True, text=True, cwd=ROOT, timeout=60, env={"PYTHONPATH": str(ROOT)},
    )
    assert child.returncode == -9, child.stderr
    assert child.stdout.strip() == "committed"
    assert body["reference"].encode() not in path.read_bytes()  # encrypted on disk
    assert hub.case(body["reference"]) is None

    outbox = Outbox(path, OUTBOX_KEY)  # the restarted kiosk
    assert outbox.depth() == 1
    client = HubClient(hub.url, hub.token)
    worker = OutboxWorker(outbox, client)
    assert run(qtbot, worker.send_due()) == 1
    assert run(qtbot, worker.send_due()) == 0
    assert outbox.depth() == 0
    assert [c.reference for c in hub.cases()].count(body["reference"]) == 1
    run(qtbot, client.aclose())
    outbox.close()


def test_ack_lost_after_the_hub_stored_it_does_not_duplicate(qtbot, qasync_loop, hub: HubServer,  # type: ignore[no-untyped-def]
                                                             tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite3", OUTBOX_KEY)
    body = payload()
    key = uuid.uuid4().hex
    outbox.put("submission", key, body)
    # The first send reached the hub, but the kiosk died before it could delete the item.
    r = httpx.post(f"{hub.url}/api/v1/submissions", json=body,
                   headers={"Authorization": f"Bearer {hub.token}", "Idempotency-Key": key})
    assert r.status_code == 201
    client = HubClient(hub.url, hub.token)
    worker = OutboxWorker(outbox, client)
    assert run(qtbot, worker.send_due()) == 1  # the retry is acknowledged as a replay
    assert outbox.depth() == 0
    assert [c.reference for c in hub.cases()].count(body["reference"]) == 1
    run(qtbot, client.aclose())
    outbox.close()


@pytest.mark.parametrize("reply", [
    Reply(200, b"<html>proxy login</html>", "text/html"),
    Reply(200, b"[1, 2, 3]"),
    Reply(201, b'{"reference": "SOME-OTHE-RREF"}'),
    Reply(502, b"bad gateway", "text/plain"),
    Reply(503, b'{"detail": "maintenance"}'),
    Reply(429, b'{"detail": "slow down"}'),
    Reply(hang=True),
], ids=["html", "json-list", "wrong-reference", "502", "503", "429", "hang"])
def test_malformed_or_failing_replies_keep_the_submission(qtbot, qasync_loop, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                          reply: Reply) -> None:
    with fake_hub(reply) as fake:
        outbox = Outbox(tmp_path / "outbox.sqlite3", OUTBOX_KEY)
        outbox.put("submission", uuid.uuid4().hex, payload())
        client = HubClient(fake.url, "kt_x", connect_timeout=1, read_timeout=0.5)
        seen: list[str] = []
        worker = OutboxWorker(outbox, client, first_retry=0.1, on_change=lambda ref, state: seen.append(state))
        assert run(qtbot, worker.send_due()) == 0
        assert outbox.depth() == 1  # kept, to retry
        assert outbox.held() == 0
        assert seen == ["waiting"]
        assert worker.last_error
        assert len(fake.requests) == 1
        run(qtbot, client.aclose())
        outbox.close()


def test_a_refusal_is_held_not_lost(qtbot, qasync_loop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with fake_hub(Reply(422, b'{"detail": "Unknown journey"}')) as fake:
        outbox = Outbox(tmp_path / "outbox.sqlite3", OUTBOX_KEY)
        outbox.put("submission", uuid.uuid4().hex, payload())
        client = HubClient(fake.url, "kt_x")
        worker = OutboxWorker(outbox, client)
        run(qtbot, worker.send_due())
        assert outbox.depth() == 0 and outbox.held() == 1
        run(qtbot, worker.send_due())
        assert len(fake.requests) == 1  # held items are not hammered at the hub
        run(qtbot, client.aclose())
        outbox.close()


def test_hub_client_turns_bad_lookup_replies_into_errors(qtbot, qasync_loop) -> None:  # type: ignore[no-untyped-def]
    with fake_hub(Reply(200, b'{"addresses": [{"uprn": 5}]}')) as fake:
        client = HubClient(fake.url, "kt_x")
        with pytest.raises(HubReplyInvalid):
            run(qtbot, client.addresses("TS18 1AU"))
        fake.reply = Reply(200, b'{"collections": "soon"}')
        with pytest.raises(HubReplyInvalid):
            run(qtbot, client.collections("1"))
        fake.reply = Reply(500, b"oops", "text/plain")
        with pytest.raises(HubUnavailable):
            run(qtbot, client.request_status("AAAA-AAAA-AAAA"))
        run(qtbot, client.aclose())


def test_kiosk_explains_a_broken_lookup_and_keeps_the_journey(qtbot, qasync_loop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with fake_hub(Reply(200, b"not json", "text/plain")) as fake:
        kiosk = make_kiosk(qtbot, None, tmp_path, hub_url=fake.url, token="kt_x")
        try:
            kiosk.start("missed-bin")
            kiosk.wait_heading("What is the address of the missed bin?")
            kiosk.type("input_address_postcode", "TS18 1AU")
            kiosk.tap("find_address")
            qtbot.waitUntil(lambda: kiosk.label_text("lookup_status_address").startswith(
                "We cannot look up addresses right now"), timeout=5000)
            # The way on: type the address in.
            kiosk.tap("manual_address")
            assert kiosk.widget(QLineEdit, "input_address_manual_postcode").text() == "TS18 1AU"
            # A look-up journey says plainly that it cannot work now, and offers a retry.
            kiosk.start("track-request")
            kiosk.wait_heading("What is your reference?")
            kiosk.type("input_reference", "KQ4M-7XTB-3HNP")
            kiosk.cont()
            kiosk.wait_heading("Sorry, we cannot check this right now")
            def lookups() -> int:  # the outbox may send usage events meanwhile: count the look-ups only
                return sum(1 for _method, path in fake.requests if path.startswith("/api/v1/requests/"))

            before = lookups()
            kiosk.tap("action_retry")
            kiosk.wait_heading("Sorry, we cannot check this right now")
            assert lookups() == before + 1
        finally:
            kiosk.close()


def test_an_unreadable_row_is_set_aside_and_the_rest_are_sent(qtbot, qasync_loop, hub: HubServer,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from cryptography.fernet import Fernet

    path = tmp_path / "outbox.sqlite3"
    stranger = Outbox(path, Fernet.generate_key().decode())  # a row sealed with another key
    stranger.put("submission", uuid.uuid4().hex, payload("Zqxvsealedelsewhere"))
    stranger.close()
    outbox = Outbox(path, OUTBOX_KEY)
    good = payload()
    outbox.put("submission", uuid.uuid4().hex, good)
    client = HubClient(hub.url, hub.token)
    worker = OutboxWorker(outbox, client)
    assert run(qtbot, worker.send_due()) == 1
    assert outbox.depth() == 0 and outbox.quarantined() == 1
    assert hub.case(good["reference"]) is not None
    # Logged by its id, never its content.
    assert [r.item for r in caplog.records if r.msg == "outbox item quarantined"] == [1]  # type: ignore[attr-defined]
    assert "Zqxvsealedelsewhere" not in caplog.text
    # The hub is told (counts only), and staff see which kiosk holds something it never got.
    run(qtbot, worker.report_state())
    health = httpx.get(f"{hub.url}/api/v1/health").json()  # public: counts, never a kiosk's name
    assert health["relay"]["kiosks_holding_items"] == 1
    assert health["alerts"] == ["1 kiosk has items the hub never received (see the staff cases page)"]
    assert "Kiosk test-kiosk has items the hub never received: 1 unreadable and set aside (see its maintenance " \
           "screen)" in html.unescape(hub.staff_get("/staff/cases"))
    run(qtbot, client.outbox_state(0, 0, 0))  # as the kiosk reports once that changes
    assert httpx.get(f"{hub.url}/api/v1/health").json()["relay"]["kiosks_holding_items"] == 0
    run(qtbot, client.aclose())
    outbox.close()


def test_submissions_queued_before_the_upgrade_are_still_sent(qtbot, qasync_loop, hub: HubServer,  # type: ignore[no-untyped-def]
                                                             tmp_path: Path) -> None:
    """Until December 2026 the outbox sealed items with Fernet; a kiosk upgraded with some still
    queued (the hub was down) sends them once, and seals what comes after the new way."""
    from cryptography.fernet import Fernet

    path = tmp_path / "outbox.sqlite3"
    Outbox(path, OUTBOX_KEY).close()  # the table, as the old version made it (the same columns)
    before = payload("Zqxvqueuedbefore")
    with sqlite3.connect(path) as old:  # the row exactly as the old version wrote it
        old.execute("INSERT INTO outbox (idempotency_key, kind, sealed, created_at, next_attempt_at)"
                    " VALUES (?,?,?,?,?)", (uuid.uuid4().hex, "submission",
                                            Fernet(OUTBOX_KEY).encrypt(json.dumps(before).encode()), 1.0, 1.0))
    old.close()
    outbox = Outbox(path, OUTBOX_KEY)
    after = payload("Zqxvqueuedafter")
    outbox.put("submission", uuid.uuid4().hex, after)
    with sqlite3.connect(path) as reader:
        sealed = [row[0] for row in reader.execute("SELECT sealed FROM outbox ORDER BY id")]
    reader.close()
    assert [s[:6] for s in sealed] == [b"gAAAAA", b"box1:" + sealed[1][5:6]]
    assert not any(b"Zqxv" in s for s in sealed)
    client = HubClient(hub.url, hub.token)
    worker = OutboxWorker(outbox, client)
    assert run(qtbot, worker.send_due()) == 2
    assert outbox.depth() == 0 and outbox.quarantined() == 0
    assert hub.case(before["reference"]) is not None and hub.case(after["reference"]) is not None
    run(qtbot, client.aclose())
    outbox.close()


@pytest.mark.parametrize("change", ["a letter altered", "cut short", "lengthened", "not base64", "unmarked"])
def test_a_sealed_item_altered_on_the_disk_is_set_aside_not_sent(qtbot, qasync_loop, hub: HubServer,  # type: ignore[no-untyped-def]
                                                                 tmp_path: Path, change: str) -> None:
    path = tmp_path / "outbox.sqlite3"
    outbox = Outbox(path, OUTBOX_KEY)
    altered, kept = payload("Zqxvaltered"), payload()
    outbox.put("submission", uuid.uuid4().hex, altered)
    outbox.put("submission", uuid.uuid4().hex, kept)
    with sqlite3.connect(path) as disk:
        (sealed,) = disk.execute("SELECT sealed FROM outbox WHERE id = 1").fetchone()
        middle = len(sealed) // 2
        changed = {"a letter altered": sealed[:middle] + (b"A" if sealed[middle:middle + 1] != b"A" else b"B")
                   + sealed[middle + 1:],
                   "cut short": sealed[:-8], "lengthened": sealed + b"AAAA",
                   "not base64": sealed[:middle] + b"!*" + sealed[middle:],
                   "unmarked": sealed[5:]}[change]
        disk.execute("UPDATE outbox SET sealed = ? WHERE id = 1", (changed,))
    disk.close()
    client = HubClient(hub.url, hub.token)
    worker = OutboxWorker(outbox, client)
    assert run(qtbot, worker.send_due()) == 1
    assert outbox.quarantined() == 1 and outbox.depth() == 0
    assert hub.case(altered["reference"]) is None and hub.case(kept["reference"]) is not None
    run(qtbot, client.aclose())
    outbox.close()


def test_submissions_go_first_and_a_bad_batch_stops_nothing(qtbot, qasync_loop, hub: HubServer,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite3", OUTBOX_KEY)
    outbox.put("event", uuid.uuid4().hex, {"kind": "not-a-kind"})  # queued first, and never valid
    first = payload()
    outbox.put("submission", uuid.uuid4().hex, first)
    client = HubClient(hub.url, hub.token)
    order: list[str] = []
    worker = OutboxWorker(outbox, client, on_change=lambda ref, state: order.append(state))
    assert run(qtbot, worker.send_due()) == 1
    assert order == ["sent"] and hub.case(first["reference"]) is not None
    assert outbox.held() == 1 and outbox.depth("event") == 0  # held for staff, not retried for ever
    run(qtbot, client.aclose())
    outbox.close()


def test_the_queue_goes_as_soon_as_the_hub_is_back(qtbot, qasync_loop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Not when a long backoff ends: the health check, asked often while the hub is down,
    tells the worker it is back."""
    port = free_port()
    token = "kt_" + uuid.uuid4().hex
    outbox = Outbox(tmp_path / "outbox.sqlite3", OUTBOX_KEY)
    queued = payload()
    outbox.put("submission", uuid.uuid4().hex, queued)
    client = HubClient(f"http://127.0.0.1:{port}", token, connect_timeout=0.5)
    worker = OutboxWorker(outbox, client, first_retry=300, max_retry=300)
    running = asyncio.ensure_future(worker.run())
    watching = asyncio.ensure_future(worker.status.watch(client, interval=600, while_down=0.2))
    hub: HubServer | None = None
    try:
        qtbot.waitUntil(lambda: worker.status.reachable is False and outbox.next_due_at() is not None
                        and (outbox.next_due_at() or 0) > time.time() + 200, timeout=5000)
        hub = start_hub(tmp_path / "hub", port=port, token=token)
        qtbot.waitUntil(lambda: outbox.depth() == 0, timeout=5000)  # not 300 s
        assert hub.case(queued["reference"]) is not None
    finally:
        running.cancel()
        watching.cancel()
        qtbot.waitUntil(lambda: running.done() and watching.done(), timeout=5000)
        if hub is not None:
            hub.stop()
        run(qtbot, client.aclose())
        outbox.close()


def test_a_submission_the_hub_has_leaves_no_copy_on_the_disk(tmp_path: Path) -> None:
    """The key is in the kiosk's settings on the same disk, so a sealed copy is a readable copy:
    once the hub has a submission, neither the database nor its write-ahead log may keep one."""
    outbox = Outbox(tmp_path / "outbox.sqlite3", OUTBOX_KEY)
    short, long, waiting = payload("Zqxvsentstory"), payload("Zqxvlongstory " * 500), payload("Zqxvwaitingstory")
    for submission in (short, long, waiting):  # the long one's row runs over several pages
        outbox.put("submission", uuid.uuid4().hex, submission)
        outbox.put("event", uuid.uuid4().hex, {"kind": "step_shown"})
    for item in outbox.due():
        outbox.retry_later(item.id, "hub down", 0)  # rewritten rows: more copies of their pages
    with sqlite3.connect(tmp_path / "outbox.sqlite3") as reader:
        sealed = [row[0] for row in reader.execute("SELECT sealed FROM outbox WHERE kind = 'submission' ORDER BY id")]
    reader.close()
    for item in outbox.due():
        if item.payload.get("reference") in (short["reference"], long["reference"]):
            outbox.delete(item.id)  # as the worker does when the hub has answered

    def on_disk() -> bytes:
        return b"".join(path.read_bytes() for path in tmp_path.iterdir())

    for token in sealed[:2]:  # not a piece of either, wherever the pages went
        assert not [at for at in range(0, len(token) - 32, 32) if token[at:at + 32] in on_disk()]
    assert b"Zqxvsentstory" not in unsealed(on_disk(), OUTBOX_KEY)
    assert sealed[2][:32] in on_disk()  # what the hub has not got stays, so the search sees
    assert b"Zqxvwaitingstory" in unsealed(on_disk(), OUTBOX_KEY)
    assert b"Zqxvwaitingstory" not in on_disk()  # and it is sealed
    outbox.close()
