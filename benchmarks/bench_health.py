"""Health benchmark: one probe round over 50 local targets against the slowest single target.

The targets are a local HTTP server (its own process) whose endpoints answer after
5-90 ms, and ten TCP ports; concurrency should make a whole round cost about as much as its
slowest target (ratio close to 1). It also prints the targets' p99 latency
against the seed's 100 ms budget, the stored uptime against the 99.9% SLO, and
the round's CPU time beside its wall time (on a busy machine the round is
CPU-bound: httpx costs ~2 ms of CPU per request).

Run: python benchmarks/bench_health.py
"""

from __future__ import annotations

import asyncio
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

from swarmops.health import ProbeContext, record_round, run_probes, uptime_report
from swarmops.health.clients import AsyncioTcp, ShutilDisk
from swarmops.health.specs import HttpProbe, TcpProbe
from swarmops.store import Store, in_unit, open_store

ROUNDS = 15
HTTP_TARGETS = 40
TCP_TARGETS = 10
BUDGET_S = 0.100
SLO = 0.999


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """GET /<ms>: answer 200 after <ms> milliseconds; a bare TCP connect just closes."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        head = b""  # a TCP probe: connected and closed without a request
    if head:
        path = head.split(b" ", 2)[1].decode()
        await asyncio.sleep(int(path.rsplit("/", 1)[-1]) / 1000)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
    writer.close()


async def _serve_async(ports: multiprocessing.Queue) -> None:
    server = await asyncio.start_server(_answer, "127.0.0.1", 0, backlog=512)
    ports.put(server.sockets[0].getsockname()[1])
    await server.serve_forever()


def _serve(ports: multiprocessing.Queue) -> None:
    """The targets live in their own process (an asyncio server), as real targets
    would: they share neither our GIL nor our event loop."""
    asyncio.run(_serve_async(ports))


def _targets(port: int) -> list[HttpProbe | TcpProbe]:
    delays = [5 + (85 * index) // (HTTP_TARGETS - 1) for index in range(HTTP_TARGETS)]
    specs: list[HttpProbe | TcpProbe] = [
        HttpProbe(name=f"http-{ms}ms-{i}", kind="http", url=f"http://127.0.0.1:{port}/{ms}")
        for i, ms in enumerate(delays)
    ]
    specs += [
        TcpProbe(name=f"tcp-{i}", kind="tcp", host="127.0.0.1", port=port)
        for i in range(TCP_TARGETS)
    ]
    return specs


def _timed(specs: list[HttpProbe | TcpProbe], context: ProbeContext) -> tuple[float, float, list]:
    """Wall time, this process's CPU time, and the results of one round."""
    wall, cpu = time.perf_counter(), time.process_time()
    results = run_probes(specs, context)
    return time.perf_counter() - wall, time.process_time() - cpu, results


def _measure(port: int, store: Store) -> dict[str, list[float]]:
    """Per round: the whole round (wall and CPU), then the slowest target alone."""
    context = ProbeContext(tcp=AsyncioTcp(), disk=ShutilDisk(), clock=store.clock, store=store)
    specs = _targets(port)
    slowest = max(specs[:HTTP_TARGETS], key=lambda spec: int(spec.url.rsplit("/", 1)[-1]))
    figures: dict[str, list[float]] = {"round": [], "cpu": [], "single": [], "latency": []}
    for _ in range(ROUNDS):
        wall, cpu, results = _timed(specs, context)
        figures["round"].append(wall)
        figures["cpu"].append(cpu)
        figures["latency"] += [result.latency_s for result in results]
        in_unit(store, record_round, results)
        figures["single"].append(_timed([slowest], context)[0])
    return figures


def _report(figures: dict[str, list[float]], uptime: float) -> None:
    round_s, single_s = statistics.median(figures["round"]), statistics.median(figures["single"])
    cpu_s = statistics.median(figures["cpu"])
    p99 = statistics.quantiles(figures["latency"], n=100)[98]
    targets = HTTP_TARGETS + TCP_TARGETS
    print(
        f"probe round over {targets} targets {round_s * 1000:.1f} ms | "
        f"slowest single target {single_s * 1000:.1f} ms | ratio {round_s / single_s:.2f}x"
    )
    print(
        f"round CPU time {cpu_s * 1000:.1f} ms | round wall {round_s * 1000:.1f} ms | "
        f"ratio {cpu_s / round_s:.2f}x"
    )
    print(
        f"target latency p99 {p99 * 1000:.1f} ms | budget {BUDGET_S * 1000:.0f} ms | "
        f"ratio {p99 / BUDGET_S:.2f}x"
    )
    print(f"uptime (worst target, 1 h) {uptime:.3%} | SLO {SLO:.1%} | ratio {uptime / SLO:.3f}x")


def main() -> None:
    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(ports,), daemon=True)
    server.start()
    store = open_store(
        f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-health-')) / 's.db'}", create=True
    )
    try:
        figures = _measure(ports.get(timeout=30), store)
        rows = uptime_report(store, SLO).rows
    finally:
        server.terminate()
        store.dispose()
    _report(figures, min(row.uptime or 0.0 for row in rows if row.window == "1h"))


if __name__ == "__main__":
    main()
