"""Message bus throughput and round-trip latency, beside the raw driver's single-row commit.

Per database, in the same run: messages per second for each phase of draining a
queue (send one per transaction, recv in batches of 100 with a lease, ack one per
transaction) and end to end, then p50/p99 of one send -> recv -> ack round trip
(three transactions), beside the raw driver committing one single-row INSERT per
transaction with the same durability (bench_fsm's floor). Targets from the issue:
a round-trip p99 under 3 ms on SQLite and 2,000 messages/s with batched recv.
Run: ``python benchmarks/bench_coordination.py``; PostgreSQL is measured when
``SWARMOPS_BENCH_PG_URL`` (or ``SWARMOPS_TEST_PG_URL``) names a server.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench_fsm import (
    Figures,
    bench_pg_server,
    pg_schema,
    raw_postgres,
    raw_sqlite,
    schema_url,
    timed,
)

from swarmops.coordination import SendRequest, ack, ack_many, recv, send
from swarmops.settings import CoordinationSettings
from swarmops.store import Store, in_unit, open_store
from swarmops.testing import seed_agent

MESSAGES = int(os.environ.get("BENCH_MSG_COUNT", "2000"))
BATCH = 100
ROUND_TRIPS = int(os.environ.get("BENCH_MSG_ROUND_TRIPS", "500"))
POLICY = CoordinationSettings()
PHASES = ("send", "recv", "ack")


def drain(url: str, *, batched: bool) -> dict[str, float]:
    """Messages per second of each phase: send all, recv all in batches, ack all.

    ``batched`` sends and acks 100 per transaction (``send`` in one unit, ``ack_many``), as a
    busy producer and consumer would; otherwise each send and ack commits alone.
    """
    store = open_store(url, create=True)
    sink = f"sink-{BATCH if batched else 1}"
    seed_agent(store, sink, "bench")
    marks = [time.perf_counter()]
    _send_all(store, sink, BATCH if batched else 1)
    marks.append(time.perf_counter())
    claimed = []
    while batch := in_unit(store, recv, sink, max_messages=BATCH, lease_s=600):
        claimed += batch
    marks.append(time.perf_counter())
    receipts = [(message.id, message.lease_token) for message in claimed]
    for start in range(0, len(receipts), BATCH if batched else 1):
        if batched:
            assert not in_unit(store, ack_many, receipts[start : start + BATCH]).lost
        else:
            in_unit(store, ack, *receipts[start])
    marks.append(time.perf_counter())
    store.dispose()
    assert len(claimed) == MESSAGES
    rates = {name: MESSAGES / (marks[i + 1] - marks[i]) for i, name in enumerate(PHASES)}
    return rates | {"end-to-end": MESSAGES / (marks[-1] - marks[0])}


def _send_all(store: Store, sink: str, per_transaction: int) -> None:
    for start in range(0, MESSAGES, per_transaction):
        with store.unit() as conn:
            for n in range(start, start + per_transaction):
                request = SendRequest(sender="bench", to=sink, body={"n": n})
                send(conn, request, POLICY)


def round_trips(url: str) -> Figures:
    store = open_store(url, create=True)
    seed_agent(store, "echo", "bench")

    def once(n: int) -> None:
        in_unit(store, send, SendRequest(sender="bench", to="echo", body={"n": n}), POLICY)
        [message] = in_unit(store, recv, "echo", lease_s=60)
        in_unit(store, ack, message.id, message.lease_token)

    try:
        return timed(once, ROUND_TRIPS)
    finally:
        store.dispose()


def report(name: str, url: str, raw: Figures) -> None:
    for batched, label in ((False, "1/commit"), (True, f"{BATCH}/commit")):
        rates = drain(url, batched=batched)
        phases = " | ".join(f"{phase} {rate:6.0f} msg/s" for phase, rate in rates.items())
        print(f"{name:10} [{label:>8}] {phases} | raw commit {raw.rate:5.0f}/s")
        print(
            f"{name:10} [{label:>8}] ratio: end-to-end {rates['end-to-end'] / raw.rate:.2f}x "
            f"raw commit rate, recv {rates['recv'] / raw.rate:.1f}x (target 2000 msg/s)"
        )
    trip = round_trips(url)
    print(
        f"{name:10} round trip p50 {trip.p50:.3f} ms p99 {trip.p99:.3f} ms | raw commit "
        f"p50 {raw.p50:.3f} ms p99 {raw.p99:.3f} ms | ratio p99 {trip.p99 / raw.p99:.1f}x "
        "(3 commits; target p99 < 3 ms)"
    )


def main() -> None:
    print(f"bench_coordination: {MESSAGES} messages drained, {ROUND_TRIPS} round trips per db")
    with tempfile.TemporaryDirectory() as folder:
        with raw_sqlite(Path(folder) / "raw.db") as commit:
            raw = timed(commit, ROUND_TRIPS)
        report("sqlite", f"sqlite:///{Path(folder) / 'swarmops.db'}", raw)
    server = bench_pg_server()
    if server is None:
        return
    with pg_schema(server) as schema:
        with raw_postgres(server, schema) as commit:
            raw = timed(commit, ROUND_TRIPS)
        report("postgresql", schema_url(server, schema), raw)


if __name__ == "__main__":
    main()
