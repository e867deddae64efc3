"""A local ``prefect server start`` that swarmops owns: a free loopback port, its own
PREFECT_HOME, a bounded wait for ``/api/health``, and a graceful stop.

``swarmops serve`` needs one when no PREFECT_API_URL is set (the ephemeral server
runs no scheduler), and the integration tests run against one. The server's own
output goes to ``server.log`` in its home, so a caller's console stays clean.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

from swarmops.errors import SwarmopsError

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


class LocalServer:
    """``prefect server start`` on ``127.0.0.1:<port>`` with ``home`` as PREFECT_HOME;
    ``ui`` also serves the web UI (off by default: the API is all most callers need)."""

    def __init__(self, home: Path, port: int | None = None, *, ui: bool = False) -> None:
        self.home, self.port, self.ui = home.resolve(), port or free_port(), ui
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"

    @property
    def log_path(self) -> Path:
        return self.home / "server.log"

    def environ(self) -> dict[str, str]:
        """The environment a client of this server needs (and the server itself uses)."""
        return {
            **os.environ,
            "PREFECT_HOME": str(self.home),
            "PREFECT_API_URL": self.api_url,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
        }

    def start(self, timeout_s: float = 180.0) -> LocalServer:
        """Start the server and wait until its API answers (at most ``timeout_s``)."""
        self.home.mkdir(parents=True, exist_ok=True)
        command = [str(Path(sys.executable).with_name("prefect")), "server", "start"]
        command += ["--host", LOOPBACK, "--port", str(self.port), "--analytics-off"]
        command += [] if self.ui else ["--no-ui"]
        env = {k: v for k, v in self.environ().items() if k != "PREFECT_API_URL"}
        if self.ui:  # the UI asks this API, not the default port 4200
            env["PREFECT_UI_API_URL"] = self.api_url
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_healthy(timeout_s)
        except BaseException:  # Ctrl-C while it starts: its own session would outlive us
            self.stop()
            raise
        return self

    def _wait_healthy(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise SwarmopsError(f"prefect server exited early; see {self.log_path}")
            try:
                if httpx.get(f"{self.api_url}/health", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass  # not listening yet: keep waiting until the deadline
            time.sleep(0.25)
        raise SwarmopsError(
            f"prefect server not healthy after {timeout_s:g} s; see {self.log_path}"
        )

    def stop(self, timeout_s: float = 30.0) -> int | None:
        """Ask the server to shut down (SIGINT, as Ctrl-C would); kill it only if it hangs."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                return process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
        return process.wait()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
