"""``swarmops serve``: every deployment on its schedule in this process, /metrics beside
it, and with ``--gateway`` the agent gateway too.

What it serves is said on stderr at start (the metrics address, the Prefect API, the
gateway), the store is checked before Prefect loads (no store is one line at once), and
Ctrl-C ends it with one line and exit 130 like every other command.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from swarmops.cli.context import CliContext, cli_context

if TYPE_CHECKING:
    from swarmops.gateway.server import Bind
    from swarmops.store import Store

SERVER_HOME = Path(".swarmops/prefect-server")


def serve(
    ctx: typer.Context,
    metrics_port: Annotated[
        int | None,
        typer.Option(
            "--metrics-port", min=0, max=65535, help="Port of /metrics (default: settings)."
        ),
    ] = None,
    gateway: Annotated[
        str | None,
        typer.Option("--gateway", metavar="[HOST:]PORT", help="Also serve the agent gateway."),
    ] = None,
) -> None:
    """Serve every deployment on its schedule in this process, /metrics for Prometheus
    on ``metrics.host`` (127.0.0.1 unless the settings say otherwise), and with
    ``--gateway`` the agent gateway beside them (host 127.0.0.1 unless given); Ctrl-C
    stops (130)."""
    context = cli_context(ctx)
    bind = _bind(gateway)
    store = context.store()  # before Prefect loads: no store is one line at once
    external = _serving_environment(context)
    from deployments.serve import serve_here

    with _beside(context, store, metrics_port, bind), _noting_interrupts() as interrupted:
        serve_here(SERVER_HOME, lambda api: _say(_prefect_line(api, external)))
    if interrupted.is_set():  # Prefect's serve ends quietly on Ctrl-C: it still is one
        raise KeyboardInterrupt


def _bind(gateway: str | None) -> Bind | None:
    from swarmops.gateway.server import Bind

    return None if gateway is None else Bind.parse(gateway)


def _serving_environment(context: CliContext) -> bool:
    """Set what the flow runs read (config, store URL) and Prefect's embedded defaults;
    whether a Prefect API was given (without one, ``serve_here`` starts a local server)."""
    config = context.config_path
    if config:
        os.environ["SWARMOPS_CONFIG"] = str(config)
    os.environ["SWARMOPS_STORE_URL"] = context.settings.store_url
    from deployments.embedded import prepare

    external = bool(os.environ.get("PREFECT_API_URL"))
    prepare()
    return external


@contextlib.contextmanager
def _beside(
    context: CliContext, store: Store, metrics_port: int | None, bind: Bind | None
) -> Iterator[None]:
    """/metrics, and the gateway when asked, for as long as the deployments are served."""
    from swarmops.gateway.server import start_beside
    from swarmops.metrics import serve_metrics, store_metrics

    settings = context.settings
    port = settings.metrics.port if metrics_port is None else metrics_port
    registry = store_metrics(store, settings.health.slo).registry
    with contextlib.ExitStack() as stack:
        exposed = serve_metrics(registry, port, settings.metrics.host)
        stack.callback(exposed.close)
        _say(f"metrics on http://{settings.metrics.host}:{exposed.port}/metrics")
        if bind is not None:
            running = start_beside(settings, bind)
            stack.callback(running.stop)
            _say(f"gateway on http://{running.bind.host}:{running.bind.port}")
        yield


def _say(line: str) -> None:
    """What ``serve`` serves, on stderr as the gateway prints its address."""
    sys.stderr.write(f"swarmops serve: {line}\n")
    sys.stderr.flush()


def _prefect_line(api_url: str, external: bool) -> str:
    if external:
        return f"deployments on the Prefect API {api_url} (UI: {api_url.removesuffix('/api')})"
    return f"deployments on a local Prefect API {api_url} (no UI; Ctrl-C stops it)"


@contextlib.contextmanager
def _noting_interrupts() -> Iterator[threading.Event]:
    """Note a Ctrl-C (then raise KeyboardInterrupt as Python does) for code that catches it."""
    noted = threading.Event()
    previous = signal.getsignal(signal.SIGINT)

    def note(_signum: int, _frame: object) -> None:
        noted.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, note)
    try:
        yield noted
    finally:
        signal.signal(signal.SIGINT, previous)
