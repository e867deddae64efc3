"""Probes against real local servers started here: healthy, hung past its timeout,
answering 500, a closed port, a Prefect-like API and a real /metrics endpoint."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, Gauge

from swarmops.health import ProbeContext, ProbeResult, run_probes
from swarmops.health.clients import AsyncioTcp, ShutilDisk
from swarmops.health.specs import DiskProbe, HttpProbe, MetricsProbe, PrefectProbe, TcpProbe
from swarmops.metrics import serve_metrics
from swarmops.testing import FrozenClock

SLOW_TIMEOUT_S = 1.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    release = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        if self.path == "/slow":
            self.server.release.wait(timeout=30)
        status = 500 if self.path == "/fail" else 200
        body = b"true" if self.path == "/api/health" else b"healthy"
        try:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return  # the probe gave up first (the slow target): nothing to answer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads results, not access logs."""


@pytest.fixture
def server() -> Iterator[str]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.release = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_port}"
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: bound to learn a free number, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def real_context(prefect_api_url: str | None = None) -> ProbeContext:
    return ProbeContext(
        tcp=AsyncioTcp(), disk=ShutilDisk(), clock=FrozenClock(), prefect_api_url=prefect_api_url
    )


def by_target(results: list[ProbeResult]) -> dict[str, ProbeResult]:
    return {result.target: result for result in results}


def test_healthy_slow_failing_and_closed_targets_in_one_round(
    server: str, closed_port: int
) -> None:
    host, port = server.split(":")
    specs = [
        HttpProbe(name="healthy", kind="http", url=f"http://{server}/ok", body_contains="heal"),
        HttpProbe(name="slow", kind="http", url=f"http://{server}/slow", timeout_s=SLOW_TIMEOUT_S),
        HttpProbe(name="error", kind="http", url=f"http://{server}/fail"),
        HttpProbe(name="closed", kind="http", url=f"http://127.0.0.1:{closed_port}/"),
        TcpProbe(name="tcp-open", kind="tcp", host=host, port=int(port)),
        TcpProbe(name="tcp-closed", kind="tcp", host="127.0.0.1", port=closed_port),
    ]
    results = by_target(run_probes(specs, real_context()))
    assert results["healthy"].ok and results["healthy"].detail == "status 200"
    assert not results["slow"].ok and "after 1 s" in results["slow"].detail
    assert not results["error"].ok and results["error"].detail == "status 500, expected 200"
    assert not results["closed"].ok and "ConnectError" in results["closed"].detail
    assert results["tcp-open"].ok
    assert not results["tcp-closed"].ok and "connection refused" in results["tcp-closed"].detail
    # The hung target costs its own timeout, never the others': they ran beside it.
    others = [r.latency_s for name, r in results.items() if name != "slow"]
    assert results["slow"].latency_s >= SLOW_TIMEOUT_S > max(others)


def test_prefect_probe_reads_the_api_health(server: str) -> None:
    spec = PrefectProbe(name="prefect", kind="prefect")
    (healthy,) = run_probes([spec], real_context(f"http://{server}/api"))
    assert healthy.ok and healthy.detail.endswith("/api/health: status 200")
    (unconfigured,) = run_probes([spec], real_context(None))
    assert not unconfigured.ok and "no Prefect API configured" in unconfigured.detail


def test_metrics_probe_scrapes_a_real_endpoint() -> None:
    registry = CollectorRegistry()
    Gauge("swarmops_agents", "Agents by state.", ["state"], registry=registry).labels("IDLE").set(3)
    endpoint = serve_metrics(registry, 0, addr="127.0.0.1")
    try:
        url = f"http://127.0.0.1:{endpoint.port}/metrics"
        specs = [
            MetricsProbe(name="scrape", kind="metrics", url=url, expect_metric="swarmops_agents"),
            MetricsProbe(name="absent", kind="metrics", url=url, expect_metric="swarmops_nothing"),
        ]
        results = by_target(run_probes(specs, real_context()))
    finally:
        endpoint.close()
    assert results["scrape"].ok
    assert not results["absent"].ok and "'swarmops_nothing' missing" in results["absent"].detail


def test_disk_probe_on_the_real_file_system_over_and_under_threshold(tmp_path: Path) -> None:
    """Any disk has a byte free; none has 100% free (the file system itself takes room)."""
    specs = [
        DiskProbe(name="over", kind="disk", path=tmp_path, min_free_bytes=1),
        DiskProbe(name="under", kind="disk", path=tmp_path, min_free_ratio=1.0),
    ]
    results = by_target(run_probes(specs, real_context()))
    assert results["over"].ok and "GiB free" in results["over"].detail
    assert not results["under"].ok and "need" in results["under"].detail


def test_an_https_target_with_an_untrusted_certificate_fails(tmp_path: Path) -> None:
    """The https transport verifies certificates: a self-signed one is refused."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl not installed: cannot make a self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [openssl, *request, "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    httpd = _Server(("127.0.0.1", 0), _Handler)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{httpd.server_port}/ok"
        (result,) = run_probes([HttpProbe(name="tls", kind="http", url=url)], real_context())
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
    assert not result.ok and "CERTIFICATE_VERIFY_FAILED" in result.detail
