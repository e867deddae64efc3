"""``swarmops fsm``: look at the declared agent lifecycle."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import emit_line

if TYPE_CHECKING:
    from swarmops.fsm import Machine
    from swarmops.store import Store

fsm_app = typer.Typer(help="The declared agent state machine.", no_args_is_help=True)


@fsm_app.command()
def diagram(
    ctx: typer.Context,
    machine: Annotated[
        Path | None, typer.Option("--machine", help="Machine file (default: settings' fsm).")
    ] = None,
) -> None:
    """Print the machine as a Mermaid state diagram (for READMEs and reports)."""
    from swarmops.fsm import load_agent_machine

    path = machine if machine is not None else cli_context(ctx).settings.fsm
    emit_line(load_agent_machine(path).mermaid().rstrip("\n"))


def open_agents(ctx: typer.Context) -> tuple[Store, Machine]:
    """The store and the agent machine named by the settings, for the agent commands."""
    from swarmops.fsm import load_agent_machine

    context = cli_context(ctx)
    return context.store(), load_agent_machine(context.settings.fsm)
