"""``swarmops pipeline run``: the stage flows from the command line (``swarmops serve``
is swarmops/cli/serving.py).

Prefect is imported inside the commands only, after the embedded environment is
prepared (telemetry off, quiet console, a private PREFECT_HOME when no
PREFECT_API_URL is set); settings are validated first so bad input is one line.
"""

from __future__ import annotations

from typing import Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_line
from swarmops.errors import BadInput, CheckFailed

STAGES = ("assessment", "deployment", "validation", "operations")

pipeline_app = typer.Typer(
    help="Run the pipeline's stage flows with Prefect.", no_args_is_help=True
)


def _stages(stage: str) -> list[str]:
    if stage == "all":
        return list(STAGES)
    if stage not in STAGES:
        raise BadInput(f"unknown stage {stage!r} (use one of: {', '.join(STAGES)}, all)")
    return [stage]


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

    outcome = run_pipeline(stages, context.config_path, context.store_url)
    if fmt is Format.json:
        emit_json(outcome)
    else:
        for line in outcome.lines():
            emit_line(line)
    if outcome.failed:
        raise CheckFailed(f"stage {outcome.failed} failed: {outcome.reason}")
