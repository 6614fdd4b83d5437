"""Hub intake on loopback: submissions per second, latency percentiles and hub CPU per submission.

    .venv/bin/python -m bench.hub_load [--requests 2000] [--concurrency 8]
                                       [--database sqlite|postgresql] [--processes 1]

Each request is a new submission (its own reference and idempotency key) to ``hub serve`` in
other processes (``--processes`` of them on one database, the clients spread across them as a
reverse proxy would). With ``--database postgresql`` a PostgreSQL server is started for the run
(initdb into a temporary directory, default durability settings) and stopped after it. Bounded:
it stops after --requests.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.harness import cpu_seconds, environment, hub_process, percentile
from kiosk.workflows.references import new_reference


@dataclass
class Load:
    latencies: list[float]
    wall: float
    errors: int
    references: list[str]

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.wall

    def percentile(self, p: float) -> float:
        return percentile(self.latencies, p)


def submit_load(urls: Sequence[str], token: str, requests: int, concurrency: int, rate: float = 0) -> Load:
    """``requests`` new submissions from ``concurrency`` clients, client i to ``urls[i % n]``:
    each as soon as the last is answered, or with ``rate`` at that many a second in all (kiosks
    submit when residents finish, not when the hub is ready)."""
    headers = {"Authorization": f"Bearer {token}"}

    def one(client: httpx.Client, sent: list[str]) -> float | None:
        reference = new_reference()
        body = {
            "reference": reference, "journey_id": "missed-bin", "journey_version": 1,
            "channel": "self-service", "submitted_at": dt.datetime.now(dt.UTC).isoformat(),
            "answers": {"bin_type": "general", "details": "Bench load test"},
            "summary": [{"question": "Bin", "answer": "General waste"}],
        }
        start = time.perf_counter()
        try:
            r = client.post("/api/v1/submissions", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
        except httpx.HTTPError:
            return None
        elapsed = time.perf_counter() - start
        if r.status_code != 201:
            return None
        sent.append(reference)
        return elapsed

    per_worker = requests // concurrency

    def worker(i: int) -> tuple[list[float], int, list[str]]:
        sent: list[str] = []
        times: list[float] = []
        errors = 0
        with httpx.Client(base_url=urls[i % len(urls)], headers=headers, timeout=60) as client:
            for k in range(per_worker):
                if rate:  # this client's next slot in the schedule
                    time.sleep(max(0.0, start + (k * concurrency + i) / rate - time.perf_counter()))
                t = one(client, sent)
                if t is None:
                    errors += 1
                else:
                    times.append(t)
        return times, errors, sent

    start = time.perf_counter() + 0.1
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(worker, range(concurrency)))
    wall = time.perf_counter() - start
    return Load([t for r in results for t in r[0]], wall, sum(r[1] for r in results),
                [ref for r in results for ref in r[2]])


@contextlib.contextmanager
def database(kind: str) -> Iterator[str | None]:
    if kind == "sqlite":
        yield None
        return
    from tests.pgserver import postgres

    with postgres(durable=True) as server:
        yield server.new_database()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--rate", type=float, default=0,
                        help="submissions a second in all (default: each as soon as the last is answered)")
    args = parser.parse_args()
    with (tempfile.TemporaryDirectory() as tmp, database(args.database) as url,
          hub_process(Path(tmp) / "hub", database_url=url, processes=args.processes) as hub):
        submit_load(hub.urls, hub.token, args.concurrency * 4, args.concurrency)  # warm up
        cpu_before = sum(cpu_seconds(pid) for pid in hub.pids)
        load = submit_load(hub.urls, hub.token, args.requests, args.concurrency, args.rate)
        cpu = sum(cpu_seconds(pid) for pid in hub.pids) - cpu_before
    n = len(load.latencies)
    paced = f", paced at {args.rate:.0f}/s" if args.rate else ""
    print(f"hub intake ({args.database}, {args.processes} process{'es' if args.processes != 1 else ''}{paced}): "
          f"{load.per_second:.0f} submissions/s over {n} requests, {args.concurrency} concurrent clients; "
          f"latency p50 {statistics.median(load.latencies) * 1000:.1f} ms, p99 {load.percentile(0.99) * 1000:.1f} ms; "
          f"errors {load.errors}; hub CPU {cpu / max(n, 1) * 1000:.2f} ms per submission (relay included)")
    print(environment())


if __name__ == "__main__":
    main()
