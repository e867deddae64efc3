"""One check per probe kind: each returns ``(ok, detail)`` or raises OSError/StoreError.

Blocking checks (store, disk) run on the round's executor so a hung database or
file system never stalls the event loop, and so every probe keeps its own timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from swarmops.health.ports import HttpClient, ProbeContext
from swarmops.health.specs import (
    DiskProbe,
    HttpProbe,
    MetricsProbe,
    PrefectProbe,
    StoreProbe,
    TcpProbe,
)
from swarmops.health.store_probe import store_outcome

Outcome = tuple[bool, str]
NO_PREFECT = "no Prefect API configured (set PREFECT_API_URL or the probe's url)"


def _http(context: ProbeContext) -> HttpClient:
    if context.http is None:
        raise RuntimeError("the round opens an HTTP client before running probes")
    return context.http


async def check_http(spec: HttpProbe, context: ProbeContext) -> Outcome:
    """The status matches and, when asked, the body holds the expected text."""
    reply = await _http(context).request(spec.method, spec.url, spec.timeout_s)
    if reply.status != spec.expect_status:
        return False, f"status {reply.status}, expected {spec.expect_status}"
    if spec.body_contains is not None and spec.body_contains not in reply.text:
        return False, f"status {reply.status} but body lacks {spec.body_contains!r}"
    return True, f"status {reply.status}"


async def check_tcp(spec: TcpProbe, context: ProbeContext) -> Outcome:
    await context.tcp.connect(spec.host, spec.port, spec.timeout_s)
    return True, f"connected to {spec.host}:{spec.port}"


async def check_prefect(spec: PrefectProbe, context: ProbeContext) -> Outcome:
    """GET ``<api>/health``; without a configured API the probe fails, never passes."""
    api = spec.url or context.prefect_api_url
    if not api:
        return False, NO_PREFECT
    url = api.rstrip("/") + "/health"
    reply = await _http(context).request("GET", url, spec.timeout_s)
    if reply.status != 200:
        return False, f"{url}: status {reply.status}"
    return True, f"{url}: status 200"


async def check_metrics(spec: MetricsProbe, context: ProbeContext) -> Outcome:
    """The endpoint answers 200 and the body parses as a Prometheus exposition."""
    from prometheus_client.parser import text_string_to_metric_families

    reply = await _http(context).request("GET", spec.url, spec.timeout_s)
    if reply.status != 200:
        return False, f"status {reply.status}"
    try:
        names = {family.name for family in text_string_to_metric_families(reply.text)}
    except ValueError as exc:
        return False, f"exposition does not parse: {exc}"
    if spec.expect_metric and spec.expect_metric not in names:
        return False, f"{len(names)} metric families, {spec.expect_metric!r} missing"
    return True, f"{len(names)} metric families"


async def check_store(spec: StoreProbe, context: ProbeContext) -> Outcome:
    return await _blocking(context, store_outcome, spec, context)


async def check_disk(spec: DiskProbe, context: ProbeContext) -> Outcome:
    return await _blocking(context, _disk_outcome, spec, context)


async def _blocking(context: ProbeContext, fn: Callable[..., Outcome], *args: Any) -> Outcome:
    return await asyncio.get_running_loop().run_in_executor(context.executor, fn, *args)


def _disk_outcome(spec: DiskProbe, context: ProbeContext) -> Outcome:
    free, total = context.disk.usage(spec.path)
    ratio = free / total if total else 0.0
    detail = f"{spec.path}: {free / 2**30:.2f} GiB free ({ratio:.1%}) of {total / 2**30:.2f} GiB"
    if free < spec.min_free_bytes or ratio < spec.min_free_ratio:
        need = f"need {spec.min_free_bytes / 2**30:.2f} GiB and {spec.min_free_ratio:.1%}"
        return False, f"{detail}; {need}"
    return True, detail


CHECKS: dict[str, Callable[[Any, ProbeContext], Awaitable[Outcome]]] = {
    "http": check_http,
    "tcp": check_tcp,
    "prefect": check_prefect,
    "metrics": check_metrics,
    "store": check_store,
    "disk": check_disk,
}
