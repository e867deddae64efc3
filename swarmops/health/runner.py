"""Run a round of probes concurrently, each bounded by its own timeout.

Every probe is an asyncio task wrapped in ``wait_for(timeout_s)``; blocking
checks run on a private thread pool that is abandoned (not joined) at the end,
so a hung target costs at most its own timeout and never the whole round.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from swarmops.errors import SwarmopsError
from swarmops.health.checks import CHECKS
from swarmops.health.clients import HttpxClient
from swarmops.health.ports import ProbeContext
from swarmops.health.results import ProbeResult
from swarmops.health.specs import ProbeSpec

MAX_THREADS = 16
# Kinds that speak HTTP; a round without them skips building a client (~60 ms of TLS setup).
HTTP_KINDS = frozenset({"http", "prefect", "metrics"})


def run_probes(specs: list[ProbeSpec], context: ProbeContext) -> list[ProbeResult]:
    """Probe every target once, concurrently; results in the order of ``specs``."""
    executor = ThreadPoolExecutor(
        max_workers=max(1, min(MAX_THREADS, len(specs))), thread_name_prefix="probe"
    )
    try:
        return asyncio.run(run_round(specs, replace(context, executor=executor)))
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


async def run_round(specs: list[ProbeSpec], context: ProbeContext) -> list[ProbeResult]:
    """The async form of :func:`run_probes`, for callers already inside a loop."""
    if context.http is None and any(spec.kind in HTTP_KINDS for spec in specs):
        async with HttpxClient() as client:
            return await run_round(specs, replace(context, http=client))
    return list(await asyncio.gather(*(run_probe(spec, context) for spec in specs)))


async def run_probe(spec: ProbeSpec, context: ProbeContext) -> ProbeResult:
    """One probe: a target that refuses, hangs, answers wrong or errs is a failed
    result, never an exception, so one target cannot spoil the round."""
    at = context.clock.now()
    started = time.perf_counter()
    try:
        ok, detail = await asyncio.wait_for(CHECKS[spec.kind](spec, context), spec.timeout_s)
    except TimeoutError:
        ok, detail = False, f"timed out after {spec.timeout_s:g} s"
    except (OSError, SwarmopsError) as exc:
        ok, detail = False, _describe(exc)
    latency = time.perf_counter() - started
    budget = getattr(spec, "latency_budget_s", None)
    if ok and budget is not None and latency > budget:
        ok, detail = False, f"{detail}; {latency:.3f} s over budget {budget:g} s"
    return ProbeResult(
        target=spec.name,
        kind=spec.kind,
        ok=ok,
        latency_s=latency,
        detail=detail,
        at=at,
        optional=spec.optional,
    )


def _describe(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
