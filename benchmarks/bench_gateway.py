"""The agent gateway under load, beside the store's raw commit rate and the CLI.

Per database (SQLite with synchronous=FULL; PostgreSQL when ``SWARMOPS_BENCH_PG_URL``
names a server), in the same run: the raw driver's single-row commit rate on that
store's disk or server; then 64 simulated agents over loopback for ``BENCH_GW_SECONDS``
(default 30) against ``swarmops gateway`` with one worker process and with two (one
interpreter lock holds one process to one core), each agent looping heartbeat, send,
inbox fetch + ack, progress: requests/s, p50/p95/p99 and error rate; then the same calls
through the CLI, one process each (direct mode). Once: an MCP tool call's p50/p99 and
the thin client's start-up beside ``python -c "import httpx"``.
Targets (issue 12): p99 < 100 ms, > 1,000 requests/s, < 0.1% errors and more requests/s
than the raw commit rate; thin client start-up within 1.5x of importing httpx.
Run: ``python benchmarks/bench_gateway.py``.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from bench_fsm import bench_pg_server, pg_schema, raw_postgres, raw_sqlite, schema_url
from gateway_load import Tally, run_worker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "gateway"))

from gateway_seed import issue, seed_agents, seed_contracts, spawn_gateway  # noqa: E402

from swarmops.store import open_store  # noqa: E402

AGENTS = 64
WORKERS = 2  # load processes
GATEWAY_WORKERS = (1, 2)
SECONDS = float(os.environ.get("BENCH_GW_SECONDS", "30"))
RAW_SECONDS = 3.0
CLI_CALLS = 10
MCP_CALLS = 200
STARTS = 10


def percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, int(len(ordered) * share) - 1)] * 1000


def raw_rate(step: object) -> float:
    """Single-row commits per second for RAW_SECONDS."""
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < RAW_SECONDS:
        step(count)  # type: ignore[operator]
        count += 1
    return count / (time.perf_counter() - started)


def seeded(url: str) -> dict[str, str]:
    store = open_store(url, create=True)
    names = [f"g{n:02d}" for n in range(AGENTS)]
    seed_agents(store, names, skills=())
    seed_contracts(store, AGENTS, skills=())
    tokens = {name: issue(store, name) for name in names}
    store.dispose()
    return tokens


def load(url: str, tokens: dict[str, str]) -> tuple[Tally, float]:
    shares = [dict(list(tokens.items())[n::WORKERS]) for n in range(WORKERS)]
    started = time.perf_counter()
    with ProcessPoolExecutor(WORKERS) as pool:
        tallies = list(pool.map(run_worker, [url] * WORKERS, shares, [SECONDS] * WORKERS))
    elapsed = time.perf_counter() - started
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total, elapsed


def report_load(name: str, tally: Tally, elapsed: float, raw: float) -> None:
    ordered, count = sorted(tally.latencies), len(tally.latencies) + tally.errors
    rate = count / elapsed
    print(
        f"{name:13} gateway {rate:7.0f} req/s  p50 {percentile(ordered, 0.5):6.1f} ms  "
        f"p95 {percentile(ordered, 0.95):6.1f} ms  p99 {percentile(ordered, 0.99):6.1f} ms  "
        f"errors {100 * tally.errors / max(count, 1):.3f}%  ({count} requests, {AGENTS} agents)"
    )
    print(
        f"{name:13} raw single-row commit {raw:7.0f}/s  gateway/raw {rate / raw:.2f}x "
        f"(targets: > 1000 req/s, p99 < 100 ms, < 0.1% errors, > raw)"
    )


def cli_calls(name: str, url: str) -> None:
    """The same kind of call through the CLI in direct mode, one process each."""
    env = {**os.environ, "SWARMOPS_STORE_URL": url}
    for variable in ("SWARMOPS_API_URL", "SWARMOPS_TOKEN"):
        env.pop(variable, None)
    samples = []
    for n in range(CLI_CALLS):
        command = [sys.executable, "-m", "swarmops", "agent", "heartbeat", f"g{n:02d}"]
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    print(
        f"{name:10} CLI one process per call: {len(samples) / sum(samples):5.1f} req/s  "
        f"p50 {statistics.median(samples) * 1000:6.0f} ms"
    )


def mcp_calls(url: str, token: str) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "gateway"))
    from mcp_client import mcp_session

    async def run() -> list[float]:
        samples = []
        async with mcp_session(url, token) as client:
            for _ in range(MCP_CALLS):
                started = time.perf_counter()
                result = await client.call_tool("heartbeat", {})
                assert not result.is_error, result.content
                samples.append(time.perf_counter() - started)
        return samples

    ordered = sorted(asyncio.run(run()))
    print(
        f"mcp        tool call (heartbeat over Streamable HTTP): p50 "
        f"{percentile(ordered, 0.5):6.1f} ms  p99 {percentile(ordered, 0.99):6.1f} ms"
    )


def start_up(url: str, token: str) -> None:
    env = {**os.environ, "SWARMOPS_API_URL": url, "SWARMOPS_TOKEN": token}
    thin = [sys.executable, "-m", "swarmops", "agent", "show", "g00"]
    bare = [sys.executable, "-c", "import httpx"]
    ours, base = _median_run(thin, env), _median_run(bare, env)
    print(
        f'thin client `swarmops agent show` {ours * 1000:5.0f} ms beside `python -c "import '
        f'httpx"` {base * 1000:5.0f} ms: {ours / base:.2f}x (aim <= 1.5x)'
    )


def _median_run(command: list[str], env: dict[str, str]) -> float:
    samples = []
    for _ in range(STARTS):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure(name: str, url: str, raw: float, extras: bool) -> None:
    tokens = seeded(url)
    for workers in GATEWAY_WORKERS:
        gateway = spawn_gateway(url, workers)
        try:
            tally, elapsed = load(gateway.url, tokens)
            report_load(f"{name} x{workers}", tally, elapsed, raw)
            if extras and workers == 1:
                mcp_calls(gateway.url, tokens["g01"])
                start_up(gateway.url, tokens["g00"])
        finally:
            gateway.stop()
    cli_calls(name, url)


def main() -> None:
    print(f"bench_gateway: {AGENTS} agents, {SECONDS:.0f} s per database, {WORKERS} load processes")
    with tempfile.TemporaryDirectory(dir=ROOT / ".swarmops") as folder:
        with raw_sqlite(Path(folder) / "raw.db") as step:
            raw = raw_rate(step)
        measure("sqlite", f"sqlite:///{Path(folder) / 'gateway.db'}", raw, extras=True)
    server = bench_pg_server()
    if server is None:
        return
    with ExitStack() as stack:
        raw_schema, schema = (
            stack.enter_context(pg_schema(server)),
            stack.enter_context(pg_schema(server)),
        )
        step = stack.enter_context(raw_postgres(server, raw_schema))
        measure("postgresql", schema_url(server, schema), raw_rate(step), extras=False)


if __name__ == "__main__":
    main()
