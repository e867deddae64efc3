"""``swarmops demo``: the pipeline's four stages on a demo swarm that is at work meanwhile.

The workspace (config copy, store, scanned repository) is laid anew under
``--folder`` on each run and initialised as ``swarmops init`` does (agents register
as real agents would, before the pipeline); the swarm acts for at most ``--seconds``
and stops once the pipeline is done and the agents have had a moment to pick up
handed-off work.
Every figure printed after the stages' lines is read from the store.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_line
from swarmops.errors import BadInput, CheckFailed

if TYPE_CHECKING:
    from swarmops.demo import DemoFigures
    from swarmops.demo.workspace import Workspace

STAGES = ["assessment", "deployment", "validation", "operations"]
AFTERWARDS_S = 3.0  # for the new owner of failed-over work to pick it up


def demo(
    ctx: typer.Context,
    seconds: Annotated[
        float, typer.Option("--seconds", min=10, max=86400, help="The longest the swarm acts.")
    ] = 240,
    folder: Annotated[
        Path, typer.Option("--folder", help="The demo workspace, laid anew on each run.")
    ] = Path(".swarmops/demo"),
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Run the pipeline on a demo swarm at work: onboarding, heartbeats, claims, progress,
    messages, one agent falling silent and failing over, one compliance regression."""
    from swarmops.bootstrap import initialise

    workspace = _workspace(ctx, folder)
    initialised = initialise(workspace.settings())
    outcome = _pipeline_with_swarm(workspace, seconds)
    figures = _figures(workspace)
    if fmt is Format.json:
        emit_json({"init": initialised, "pipeline": outcome, "swarm": figures})
    else:
        swarm = ["demo swarm, as the store holds it:", *figures.lines()]
        for line in [*initialised.lines(), *outcome.lines(), *swarm]:
            emit_line(line)
    if outcome.failed:
        raise CheckFailed(f"stage {outcome.failed} failed: {outcome.reason}")


def _workspace(ctx: typer.Context, folder: Path) -> Workspace:
    """A fresh workspace under ``folder``, copied from the config the command was given."""
    from swarmops.demo import prepare_workspace

    context = cli_context(ctx)
    source = context.settings.config_file
    if source is None:
        raise BadInput("the demo copies a config folder: pass --config FILE")
    return prepare_workspace(folder, source, context.store_url)


def _pipeline_with_swarm(workspace: Workspace, seconds: float) -> Any:
    """The embedded pipeline on the workspace, the swarm acting in the background."""
    from deployments.embedded import prepare
    from swarmops.demo import DemoSwarm

    prepare()
    from deployments.embedded import run_pipeline

    swarm = DemoSwarm(workspace.settings(), workspace.root, seconds).start()
    try:
        outcome = run_pipeline(STAGES, workspace.config, workspace.store_url)
        time.sleep(AFTERWARDS_S)
    finally:
        swarm.stop()
    return outcome


def _figures(workspace: Workspace) -> DemoFigures:
    """What the swarm and the stages did, read from the store."""
    from swarmops.demo.actions import Actions
    from swarmops.fsm import load_agent_machine
    from swarmops.store import open_store

    settings = workspace.settings()
    store = open_store(workspace.store_url, migrate=False)
    try:
        return Actions(store, load_agent_machine(settings.fsm), settings.coordination).figures()
    finally:
        store.dispose()
