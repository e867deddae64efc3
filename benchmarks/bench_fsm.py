"""Agent transitions per second and p50/p99 latency, beside the raw driver's single-row commit.

Each database is measured twice in the same run, round by round interleaved:
swarmops' ``transition`` in its own unit (one transaction: SELECT the agent, compare-and-set
UPDATE, INSERT the event) and the raw driver (sqlite3 / psycopg) committing one
single-row INSERT per transaction with the same durability settings (SQLite WAL +
synchronous=FULL; PostgreSQL's defaults). Ratios compare the two. SQLite runs beside
the default store (disk, real fsync) and, where /dev/shm exists, in memory, where
the commit is nearly free and the ratio shows swarmops' CPU cost alone.
Run: ``python benchmarks/bench_fsm.py``.
PostgreSQL is measured when ``SWARMOPS_BENCH_PG_URL`` (or ``SWARMOPS_TEST_PG_URL``)
names a server; each run works in a private schema it drops afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from swarmops.fsm import AgentSpec, load_agent_machine, register, transition  # noqa: E402
from swarmops.settings import normalise_store_url  # noqa: E402
from swarmops.store import in_unit, open_store  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_FSM_ROUNDS", "2000"))
# Where SQLite runs: beside the default store (same file system and fsync cost), and
# in memory when /dev/shm exists; BENCH_FSM_DIR names one other folder instead.
SQLITE_DIRS = {"sqlite": ROOT / ".swarmops", "sqlite-shm": Path("/dev/shm")}
if os.environ.get("BENCH_FSM_DIR"):
    SQLITE_DIRS = {"sqlite": Path(os.environ["BENCH_FSM_DIR"])}
WARMUP = 100
Step = Callable[[int], object]


class Figures:
    """Latency samples of one loop, summarised."""

    def __init__(self, samples: list[float]) -> None:
        ordered = sorted(samples)
        self.rate = len(samples) / sum(samples)
        self.p50 = statistics.median(ordered) * 1000
        self.p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000

    def text(self) -> str:
        return f"{self.rate:8.0f}/s p50 {self.p50:6.3f} ms p99 {self.p99:6.3f} ms"


def timed(step: Step, rounds: int) -> Figures:
    """Time ``rounds`` calls of one loop on its own."""
    samples = []
    for i in range(rounds):
        started = time.perf_counter()
        step(i)
        samples.append(time.perf_counter() - started)
    return Figures(samples)


def paired(ours: Step, raw: Step) -> tuple[Figures, Figures]:
    """Time both loops round by round, interleaved, so load drift hits both alike."""
    for i in range(WARMUP):
        ours(i)
        raw(i)
    ours_samples, raw_samples = [], []
    for i in range(ROUNDS):
        started = time.perf_counter()
        ours(i)
        middle = time.perf_counter()
        raw(i)
        ours_samples.append(middle - started)
        raw_samples.append(time.perf_counter() - middle)
    return Figures(ours_samples), Figures(raw_samples)


@contextmanager
def transitions(url: str) -> Iterator[Step]:
    """One agent toggling IDLE <-> PAUSED through ``transition_agent``."""
    store = open_store(url, create=True)
    machine = load_agent_machine(ROOT / "config" / "fsm.yaml")
    in_unit(store, register, machine, AgentSpec(id="bench", role="bench"))
    in_unit(store, transition, machine, "bench", "IDLE")
    states = ("PAUSED", "IDLE")
    try:
        yield lambda i: in_unit(store, transition, machine, "bench", states[i % 2])
    finally:
        store.dispose()


@contextmanager
def raw_sqlite(path: Path) -> Iterator[Step]:
    """sqlite3 committing one single-row INSERT per transaction, with the store's pragmas."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=30000"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE raw (id INTEGER PRIMARY KEY, seq INTEGER, at TEXT)")

    def commit(i: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO raw (seq, at) VALUES (?, ?)", (i, "2026-01-01 00:00:00"))
        conn.execute("COMMIT")

    try:
        yield commit
    finally:
        conn.close()


@contextmanager
def raw_postgres(server: str, schema: str) -> Iterator[Step]:
    """psycopg committing one single-row INSERT per transaction (server defaults)."""
    import psycopg

    dsn = server.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn, options=f"-csearch_path={schema}") as conn:
        conn.execute("CREATE TABLE raw (id BIGSERIAL PRIMARY KEY, seq INTEGER, at TIMESTAMPTZ)")
        conn.commit()

        def commit(i: int) -> None:
            conn.execute("INSERT INTO raw (seq, at) VALUES (%s, now())", (i,))
            conn.commit()

        yield commit


@contextmanager
def pg_schema(server: str) -> Iterator[str]:
    import sqlalchemy as sa

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def bench_pg_server() -> str | None:
    """The PostgreSQL server to measure, or None after a line saying it is skipped."""
    server = os.environ.get("SWARMOPS_BENCH_PG_URL") or os.environ.get("SWARMOPS_TEST_PG_URL")
    if not server:
        print("postgresql skipped: set SWARMOPS_BENCH_PG_URL to measure it")
        return None
    return normalise_store_url(server)


def schema_url(server: str, schema: str) -> str:
    """A store URL on ``server`` whose search_path is ``schema``."""
    separator = "&" if "?" in server else "?"
    return f"{server}{separator}options={quote(f'-csearch_path={schema}')}"


def report(name: str, ours: Figures, raw: Figures) -> None:
    print(f"{name:10} transition {ours.text()} | raw commit {raw.text()}")
    print(
        f"{name:10} ratio: rate {ours.rate / raw.rate:.2f}x of raw (target >= 0.5x), "
        f"p99 {ours.p99 / raw.p99:.1f}x raw p99, p99 {ours.p99:.3f} ms (target < 1 ms)"
    )


def main() -> None:
    print(f"bench_fsm: {ROUNDS} transitions per database after {WARMUP} warm-up rounds")
    for name, where in SQLITE_DIRS.items():
        if name == "sqlite-shm" and not where.is_dir():
            continue
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=where) as folder:
            url = f"sqlite:///{Path(folder) / 'swarmops.db'}"
            with transitions(url) as ours, raw_sqlite(Path(folder) / "raw.db") as raw:
                report(name, *paired(ours, raw))
    server = bench_pg_server()
    if server is None:
        return
    with pg_schema(server) as schema:
        url = schema_url(server, schema)
        with transitions(url) as ours, raw_postgres(server, schema) as raw:
            report("postgresql", *paired(ours, raw))


if __name__ == "__main__":
    main()
