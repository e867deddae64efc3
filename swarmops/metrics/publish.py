"""Publishers: a node_exporter textfile, a Pushgateway push and an HTTP /metrics server.

The textfile is written to a temporary file in the same folder and moved into
place with ``os.replace``, so node_exporter never reads half a file. Pushes use
the pushadd form (POST: replaces only the metric names pushed, keeping the
others of the group), and only a successful run adds the last-success gauge, so
a failed run leaves the previous success time in place for the staleness alert.
"""

from __future__ import annotations

import os
import socket
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from threading import Thread
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Gauge, generate_latest
from prometheus_client.exposition import default_handler, pushadd_to_gateway, start_wsgi_server

from swarmops.errors import PublishError
from swarmops.metrics.catalog import LAST_SUCCESS

PushHandler = Callable[..., Callable[[], None]]
PUSH_TIMEOUT_S = 10.0


def write_textfile(registry: CollectorRegistry, path: Path) -> Path:
    """Write the exposition to ``path`` atomically (temp file + fsync + os.replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = generate_latest(registry)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise PublishError(f"metrics textfile {path}: {exc}") from exc
    return path


def push(
    registry: CollectorRegistry,
    gateway: str,
    job: str,
    grouping_key: Mapping[str, str] | None = None,
    handler: PushHandler | None = None,
) -> None:
    """pushadd ``registry`` to the Pushgateway under ``job`` and the grouping key."""
    try:
        pushadd_to_gateway(
            gateway,
            job=job,
            registry=registry,
            grouping_key=dict(grouping_key or {"instance": socket.gethostname()}),
            timeout=PUSH_TIMEOUT_S,
            handler=handler or default_handler,
        )
    except OSError as exc:
        raise PublishError(f"pushgateway {gateway}: {exc}") from exc


def batch_registry(source: CollectorRegistry, succeeded: bool) -> CollectorRegistry:
    """What a batch run pushes: ``source``, plus the last-success time only on success."""
    combined = CollectorRegistry()
    combined.register(source)
    if succeeded:
        gauge = Gauge(LAST_SUCCESS.name, LAST_SUCCESS.help, registry=combined)
        gauge.set(time.time())
    return combined


@dataclass
class MetricsServer:
    """A running /metrics endpoint; each scrape collects afresh from the registry."""

    server: WSGIServer
    thread: Thread

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve_metrics(registry: CollectorRegistry, port: int, addr: str = "127.0.0.1") -> MetricsServer:
    """Start serving ``registry`` on ``addr:port`` (0 picks a free port) in a daemon thread."""
    try:
        server, thread = start_wsgi_server(port, addr=addr, registry=registry)
    except OSError as exc:
        raise PublishError(f"metrics server {addr}:{port}: {exc}") from exc
    return MetricsServer(server=server, thread=thread)
