"""How long a kiosk's queue takes to empty after the hub comes back from an outage.

    .venv/bin/python -m bench.outbox_drain [--queued 500] [--outage 120]

The kiosk's own outbox, worker and health check (its shipped settings: first retry 5 s, backoff
up to 300 s, health check every 30 s and every 5 s while the hub does not answer) with
``--queued`` submissions made while the hub is down; after ``--outage`` seconds the hub (``hub
serve`` in another process) starts on the same address. Reports the time from the hub answering
to the queue being empty, and checks every submission arrived once. Bounded by the outage and a
60 s drain limit.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from bench.harness import OUTBOX_KEY, environment, free_port, hub_process
from kiosk.hub_client import HubClient
from kiosk.outbox import Outbox
from kiosk.outbox_worker import OutboxWorker
from kiosk.workflows.references import new_reference


def submission() -> dict[str, object]:
    return {"reference": new_reference(), "journey_id": "missed-bin", "journey_version": 1,
            "channel": "self-service", "submitted_at": dt.datetime.now(dt.UTC).isoformat(),
            "answers": {"bin_type": "general"}, "summary": [{"question": "Bin", "answer": "General waste"}]}


async def run(queued: int, outage: float, work: Path) -> None:
    port = free_port()
    hub_dir = work / "hub"
    with hub_process(hub_dir):  # made once, so the token exists; then stopped: the outage
        pass
    token = (hub_dir / "token").read_text().strip()
    outbox = Outbox(work / "outbox.sqlite3", OUTBOX_KEY)
    client = HubClient(f"http://127.0.0.1:{port}", token)
    worker = OutboxWorker(outbox, client)  # the shipped backoff: 5 s doubling to 300 s
    references = []
    for _ in range(queued):
        item = submission()
        references.append(item["reference"])
        outbox.put("submission", uuid.uuid4().hex, item)
    running = asyncio.create_task(worker.run())
    watching = asyncio.create_task(worker.status.watch(client, interval=30.0))
    print(f"{queued} submissions queued; hub down for {outage:.0f} s", flush=True)
    await asyncio.sleep(outage)
    backoff = (outbox.next_due_at() or time.time()) - time.time()
    with hub_process(hub_dir, port=port) as hub:
        back = time.monotonic()
        deadline = back + 60
        while outbox.depth() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        drained = time.monotonic() - back
        left = outbox.depth()
        with httpx.Client(base_url=hub.url) as http:
            assert http.get("/api/v1/health").status_code == 200
    running.cancel()
    watching.cancel()
    await client.aclose()
    outbox.close()
    db = sqlite3.connect(hub_dir / "hub.sqlite3")
    stored = [r[0] for r in db.execute("SELECT reference FROM cases")]
    db.close()
    print(environment())
    print(f"backoff still to run when the hub came back: {max(0.0, backoff):.0f} s")
    print(f"drained in {drained:.1f} s after the hub answered; left in the queue: {left}")
    print(f"cases at the hub: {len(stored)} of {queued}, duplicates: {len(stored) - len(set(stored))}, "
          f"missing: {len(set(references) - set(stored))}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queued", type=int, default=500)
    parser.add_argument("--outage", type=float, default=120.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args.queued, args.outage, Path(tmp)))


if __name__ == "__main__":
    main()
