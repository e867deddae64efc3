"""Contract progress benchmarks, each figure beside its floor measured in the same run.

1. Rollup of 1,000,000 progress events over 10,000 contracts vs a plain pandas groupby
   (last percent and last update per contract) of the same frame.
2. Progress writes (``record_progress``, one transaction each) p50/p99 and writes/s on
   SQLite (and PostgreSQL when SWARMOPS_TEST_PG_URL is set) vs a raw driver INSERT+COMMIT.

Run: python benchmarks/bench_contracts.py [--events N] [--writes N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import sqlalchemy as sa

from swarmops.contracts import ContractSpec, apply_contracts, record_progress
from swarmops.contracts.rollup import RollupFrames
from swarmops.contracts.summary import rollup
from swarmops.settings import ProgressSettings, normalise_store_url
from swarmops.store import in_unit, open_store
from swarmops.testing import seed_owners

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic_frames(events: int, contracts: int) -> RollupFrames:
    """Time-ordered events with rising percents per contract, as read_frames returns them."""
    ids = np.array([f"C-{i:05d}" for i in range(contracts)], dtype=object)
    return RollupFrames(_contract_table(ids), _progress_events(ids, events), _tasks(ids))


def _progress_events(ids: np.ndarray, events: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    code = rng.integers(0, len(ids), events)
    seconds = np.sort(rng.uniform(0, 90 * 86400, events))
    at = pd.to_datetime(NOW - timedelta(days=90)) + pd.to_timedelta(seconds, unit="s")
    step = pd.Series(rng.uniform(0, 0.5, events)).groupby(code).cumsum().to_numpy()
    columns = {"contract_id": ids[code], "agent_id": ids[code % 800]}
    return pd.DataFrame({**columns, "percent": np.minimum(step, 100), "at": at})


def _contract_table(ids: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ids,
            "title": ids,
            "owner": ids[np.arange(len(ids)) % 800],
            "status": "IN_PROGRESS",
            "due": pd.Timestamp(NOW + timedelta(days=30)),
            "created_at": pd.Timestamp(NOW - timedelta(days=91)),
            "status_at": pd.Timestamp(NOW - timedelta(days=90)),
        },
    )


def _tasks(ids: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contract_id": np.repeat(ids, 3),
            "task_id": np.tile(["a", "b", "c"], len(ids)),
            "weight": 1.0,
            "done_at": pd.NaT,
        },
    )


def bench_rollup(events: int, contracts: int) -> None:
    frames = synthetic_frames(events, contracts)
    settings = ProgressSettings(stall_after_h=24, velocity_window_d=7)
    ours = best(lambda: rollup(frames, NOW, settings))
    floor = best(
        lambda: frames.events.groupby("contract_id").agg(
            percent=("percent", "last"), last_update=("at", "max")
        )
    )
    print(
        f"rollup {events:,} events / {contracts:,} contracts {ours * 1000:.0f} ms | "
        f"pandas groupby {floor * 1000:.0f} ms | ratio {ours / floor:.1f}x"
    )


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def progress_samples(url: str, writes: int) -> list[float]:
    """Time ``record_progress`` calls spread over 20 contracts, percents rising below 100."""
    store = open_store(url, create=True)
    specs = [ContractSpec(id=f"B-{i}", title="bench", owner=f"agent-{i}") for i in range(20)]
    seed_owners(store, specs)  # an owner must be a registered agent
    in_unit(store, apply_contracts, specs)
    samples = []
    for n in range(writes):
        spec = specs[n % 20]
        start = time.perf_counter()
        in_unit(store, record_progress, spec.id, spec.owner or "", percent=min(99.0, n * 0.01))
        samples.append(time.perf_counter() - start)
    store.dispose()
    return samples


def raw_samples(url: str, writes: int) -> list[float]:
    """The floor: the same driver, one INSERT and COMMIT per write, same durability settings."""
    engine = open_store(url, create=True).engine
    raw = engine.raw_connection()
    cursor = raw.cursor()
    cursor.execute("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, percent FLOAT, note TEXT)")
    raw.commit()
    samples = []
    for n in range(writes):
        start = time.perf_counter()
        cursor.execute(f"INSERT INTO bench_raw (id, percent, note) VALUES ({n}, {n * 0.01}, 'x')")
        raw.commit()
        samples.append(time.perf_counter() - start)
    raw.close()
    engine.dispose()
    return samples


def bench_writes(name: str, url: str, writes: int) -> None:
    ours_p50, ours_p99 = percentiles(progress_samples(url, writes))
    raw_p50, raw_p99 = percentiles(raw_samples(url, writes))
    print(
        f"progress write {name} p50 {ours_p50 * 1000:.2f} ms p99 {ours_p99 * 1000:.2f} ms "
        f"({1 / ours_p50:,.0f} writes/s) | raw commit p50 {raw_p50 * 1000:.2f} ms "
        f"p99 {raw_p99 * 1000:.2f} ms | ratio p50 {ours_p50 / raw_p50:.1f}x p99 "
        f"{ours_p99 / raw_p99:.1f}x"
    )


def with_pg_schema(server: str, body: Callable[[str], None]) -> None:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        body(f"{server}?options={quote(f'-csearch_path={schema}')}")
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--writes", type=int, default=2_000)
    args = parser.parse_args()
    bench_rollup(args.events, args.contracts)
    with tempfile.TemporaryDirectory() as folder:
        bench_writes("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", args.writes)
    server = os.environ.get("SWARMOPS_BENCH_PG_URL") or os.environ.get("SWARMOPS_TEST_PG_URL")
    if server:
        with_pg_schema(
            normalise_store_url(server), lambda url: bench_writes("postgresql", url, args.writes)
        )
    else:
        print("progress write postgresql skipped (set SWARMOPS_BENCH_PG_URL)")


if __name__ == "__main__":
    main()
