"""The gateway's own metrics: requests by route, method and status with their latency,
and the transition histogram observed where the gateway runs transitions."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CollectorRegistry, Histogram

from swarmops.metrics.catalog import GATEWAY_REQUEST_SECONDS
from swarmops.metrics.registry import SwarmMetrics

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 60.0)


class GatewayMetrics:
    """One registry per gateway: never the process-global default one."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.swarm = SwarmMetrics(self.registry)
        self.requests = Histogram(
            GATEWAY_REQUEST_SECONDS.name,
            GATEWAY_REQUEST_SECONDS.help,
            list(GATEWAY_REQUEST_SECONDS.labels),
            registry=self.registry,
            buckets=LATENCY_BUCKETS,
        )

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).observe(seconds)

    def exposition(self) -> bytes:
        return self.swarm.exposition()


class MetricsMiddleware:
    """Pure ASGI: times every HTTP request and records its route template and status."""

    def __init__(self, app: Any, metrics: GatewayMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), [500]

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = getattr(scope.get("route"), "path", None) or _fallback(scope["path"])
            elapsed = time.perf_counter() - started
            self.metrics.observe_request(route, scope["method"], status[0], elapsed)


def _fallback(path: str) -> str:
    """Unmatched paths are one label, so a scan of random URLs cannot explode the series."""
    return "/mcp" if path.rstrip("/") == "/mcp" else "unmatched"
