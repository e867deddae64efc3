"""``swarmops pipeline run`` and ``swarmops serve``: the Prefect side of the command line.

Prefect is imported inside the commands only, after the embedded environment is
prepared (telemetry off, quiet console, a private PREFECT_HOME when no
PREFECT_API_URL is set); settings are validated first so bad input is one line.
"""

from __future__ import annotations

import os
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
    on ``metrics.host`` (127.0.0.1 unless the settings say otherwise)."""
    context = cli_context(ctx)
    settings = context.settings
    store = context.store()  # before Prefect loads: no store is one line at once
    config = _config(context)
    if config:
        os.environ["SWARMOPS_CONFIG"] = str(config)
    os.environ["SWARMOPS_STORE_URL"] = settings.store_url
    from deployments.embedded import prepare

    prepare()
    from deployments.serve import serve_here
    from swarmops.metrics import serve_metrics, store_metrics

    port = settings.metrics.port if metrics_port is None else metrics_port
    registry = store_metrics(store, settings.health.slo).registry
    exposed = serve_metrics(registry, port, settings.metrics.host)
    try:
        serve_here(SERVER_HOME)
    finally:
        exposed.close()
