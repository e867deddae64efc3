"""A push reaches a real local HTTP server that records it, as a Pushgateway would."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from swarmops.errors import PublishError
from swarmops.metrics import SwarmMetrics, publish_batch
from swarmops.metrics.catalog import LAST_SUCCESS
from swarmops.settings import MetricsSettings
from swarmops.store import open_store


class _Gateway(ThreadingHTTPServer):
    daemon_threads = True
    status = 200
    pushes: list[tuple[str, str, str]]


class _Handler(BaseHTTPRequestHandler):
    server: _Gateway

    def _record(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.server.pushes.append((self.command, self.path, body))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = _record

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the recorded pushes."""


@pytest.fixture
def gateway() -> Iterator[_Gateway]:
    server = _Gateway(("127.0.0.1", 0), _Handler)
    server.pushes = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def url(server: _Gateway) -> str:
    return f"http://127.0.0.1:{server.server_port}"


def names(body: str) -> set[str]:
    return {family.name for family in text_string_to_metric_families(body)}


def test_a_batch_push_reaches_the_gateway(gateway: _Gateway) -> None:
    settings = MetricsSettings(textfile=None, pushgateway=url(gateway))
    metrics = SwarmMetrics(CollectorRegistry())
    metrics.observe_transition(0.01)
    publish_batch(metrics, settings, job="swarmops-ops", succeeded=True)
    publish_batch(metrics, settings, job="swarmops-ops", succeeded=False)
    (first_method, first_path, first_body), (_, _, second_body) = gateway.pushes
    assert first_method == "POST" and first_path.startswith("/metrics/job/swarmops-ops/instance/")
    assert {"swarmops_fsm_transition_seconds", LAST_SUCCESS.name} <= names(first_body)
    assert "swarmops_fsm_transition_seconds" in names(second_body)
    assert LAST_SUCCESS.name not in names(second_body)


def test_a_refused_push_is_a_publish_error(gateway: _Gateway) -> None:
    gateway.status = 500
    settings = MetricsSettings(textfile=None, pushgateway=url(gateway))
    with pytest.raises(PublishError, match="pushgateway"):
        publish_batch(SwarmMetrics(CollectorRegistry()), settings, job="swarmops")


@pytest.mark.slow
def test_the_metrics_command_pushes_to_the_configured_gateway(
    gateway: _Gateway, tmp_path: Path
) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SWARMOPS_")}
    environ["SWARMOPS_METRICS__PUSHGATEWAY"] = url(gateway)
    environ["SWARMOPS_METRICS__TEXTFILE"] = str(tmp_path / "swarmops.prom")
    store = f"sqlite:///{tmp_path / 'swarmops.db'}"
    open_store(store, create=True).dispose()
    command = [sys.executable, "-m", "swarmops", "--store-url", store, "metrics", "--push"]
    result = subprocess.run(
        command, cwd=tmp_path, env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    ((method, path, body),) = gateway.pushes
    assert method == "POST" and path.startswith("/metrics/job/swarmops/")
    assert {"swarmops_agents", "swarmops_probe_success", LAST_SUCCESS.name} <= names(body)
    assert LAST_SUCCESS.name in (tmp_path / "swarmops.prom").read_text()
