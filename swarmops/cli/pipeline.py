"""``swarmops pipeline run`` and ``swarmops serve``: the Prefect side of the command line.

Prefect is imported inside the commands only, after the embedded environment is
prepared (telemetry off, quiet console, a private PREFECT_HOME when no
PREFECT_API_URL is set); settings are validated first so bad input is one line.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from swarmops.cli.context import CliContext, cli_context
from swarmops.cli.output import Format, emit_json, emit_line
from swarmops.errors import BadInput, CheckFailed

STAGES = ("assessment", "deployment", "validation", "operations")
SERVER_HOME = Path(".swarmops/prefect-server")

pipeline_app = typer.Typer(
    help="Run the pipeline's stage flows with Prefect.", no_args_is_help=True
)


def _stages(stage: str) -> list[str]:
    if stage == "all":
        return list(STAGES)
    if stage not in STAGES:
        raise BadInput(f"unknown stage {stage!r} (use one of: {', '.join(STAGES)}, all)")
    return [stage]


def _config(context: CliContext) -> Path | None:
    return context.config.resolve() if context.config else None


@pipeline_app.command("run")
def run(
    ctx: typer.Context,
    stage: Annotated[str, typer.Option("--stage", help="A stage name, or all.")] = "all",
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Run the stage flows in order (embedded Prefect unless PREFECT_API_URL is set)."""
    context = cli_context(ctx)
    stages, _ = _stages(stage), context.settings
    from deployments.embedded import prepare

    prepare()
    from deployments.embedded import run_pipeline

    outcome = run_pipeline(stages, _config(context), context.store_url)
    if fmt is Format.json:
        emit_json(outcome)
    else:
        for line in outcome.lines():
            emit_line(line)
    if outcome.failed:
        raise CheckFailed(f"stage {outcome.failed} failed: {outcome.reason}")


def serve(
    ctx: typer.Context,
    metrics_port: Annotated[
        int | None, typer.Option("--metrics-port", help="Port of /metrics (default: settings).")
    ] = None,
) -> None:
    """Serve every deployment on its schedule in this process, and /metrics for Prometheus
    on ``metrics.host`` (127.0.0.1 unless the settings say otherwise); Ctrl-C stops (130)."""
    context = cli_context(ctx)
    settings = context.settings
    store = context.store()  # before Prefect loads: no store is one line at once
    external = _serving_environment(context)
    from deployments.serve import serve_here
    from swarmops.metrics import serve_metrics, store_metrics

    port = settings.metrics.port if metrics_port is None else metrics_port
    exposed = serve_metrics(
        store_metrics(store, settings.health.slo).registry, port, settings.metrics.host
    )
    _say(f"metrics on http://{settings.metrics.host}:{exposed.port}/metrics")
    try:
        with _noting_interrupts() as interrupted:
            serve_here(SERVER_HOME, lambda api: _say(_prefect_line(api, external)))
    finally:
        exposed.close()
    if interrupted.is_set():  # Prefect's serve ends quietly on Ctrl-C: it still is one
        raise KeyboardInterrupt


def _serving_environment(context: CliContext) -> bool:
    """Set what the flow runs read (config, store URL) and Prefect's embedded defaults;
    whether a Prefect API was given (without one, ``serve_here`` starts a local server)."""
    config = _config(context)
    if config:
        os.environ["SWARMOPS_CONFIG"] = str(config)
    os.environ["SWARMOPS_STORE_URL"] = context.settings.store_url
    from deployments.embedded import prepare

    external = bool(os.environ.get("PREFECT_API_URL"))
    prepare()
    return external


def _say(line: str) -> None:
    """What ``serve`` serves, on stderr as the gateway prints its address."""
    sys.stderr.write(f"swarmops serve: {line}\n")
    sys.stderr.flush()


def _prefect_line(api_url: str, external: bool) -> str:
    if external:
        return f"deployments on the Prefect API {api_url} (UI: {api_url.removesuffix('/api')})"
    return f"deployments on a local Prefect API {api_url} (no UI; Ctrl-C stops it)"


@contextmanager
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
