"""Hub intake on loopback: submissions per second and latency percentiles.

    .venv/bin/python -m bench.hub_load [--requests 2000] [--concurrency 8]

Each request is a new submission (its own reference and idempotency key) to ``hub serve``
(one uvicorn worker, SQLite) in another process. Bounded: it stops after --requests.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from bench.harness import environment, hub_process
from kiosk.workflows.references import new_reference


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, hub_process(Path(tmp) / "hub") as hub:
        headers = {"Authorization": f"Bearer {hub.token}"}

        def one(client: httpx.Client) -> float:
            body = {
                "reference": new_reference(), "journey_id": "missed-bin", "journey_version": 1,
                "channel": "self-service", "submitted_at": dt.datetime.now(dt.UTC).isoformat(),
                "answers": {"bin_type": "general", "details": "Bench load test"},
                "summary": [{"question": "Bin", "answer": "General waste"}],
            }
            start = time.perf_counter()
            r = client.post("/api/v1/submissions", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
            elapsed = time.perf_counter() - start
            if r.status_code != 201:
                raise RuntimeError(f"HTTP {r.status_code}: {r.text[:200]}")
            return elapsed

        per_worker = args.requests // args.concurrency

        def worker(_: int) -> list[float]:
            with httpx.Client(base_url=hub.url, headers=headers, timeout=30) as client:
                one(client)  # warm the connection
                return [one(client) for _ in range(per_worker)]

        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            latencies = sorted(t for batch in pool.map(worker, range(args.concurrency)) for t in batch)
        wall = time.perf_counter() - start
    n = len(latencies)
    p99 = latencies[int(0.99 * (n - 1))]
    print(f"hub intake: {n / wall:.0f} submissions/s over {n} requests, {args.concurrency} concurrent clients; "
          f"latency p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
    print(environment())


if __name__ == "__main__":
    main()
