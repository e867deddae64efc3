"""``swarmops outbox``: see and send the committed alerts and stage events.

Commands that raise alerts (``health check``, ``failover``, ``contract rollup``) call
``publish_committed`` after their commit: with a Prefect API configured it drains
what is waiting into Prefect events (and Apprise) before the command exits;
without one the rows wait for the next drain (a flow run, ``swarmops serve``, or
``swarmops outbox drain``). Prefect is imported only when there is something to send.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_line
from swarmops.errors import CheckFailed, ConfigError

outbox_app = typer.Typer(help="The outbox of alerts and stage events.", no_args_is_help=True)
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


@outbox_app.command()
def pending(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """How many committed events wait to be published."""
    from swarmops.outbox import pending_count

    count = pending_count(cli_context(ctx).store())
    if fmt is Format.json:
        emit_json({"pending": count})
    else:
        emit_line(f"{count} pending")


@outbox_app.command()
def drain(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """Publish every waiting event to the configured Prefect API; exit 1 if any failed."""
    from tasks.outbox import api_configured, drain_now

    if not api_configured():
        raise ConfigError("outbox drain: no Prefect API configured (set PREFECT_API_URL)")
    report = drain_now(cli_context(ctx).settings)
    if fmt is Format.json:
        emit_json(report)
    else:
        emit_line(report.summary())
    if report.failed:
        raise CheckFailed(f"outbox drain: {report.failed} event(s) not published")


def publish_committed(ctx: typer.Context) -> None:
    """Send what the command just committed, when a Prefect API is there to take it.

    A failure to send is a warning on stderr, not the command's failure: the rows
    stay in the outbox for the next drain.
    """
    from swarmops.outbox import pending_count

    context = cli_context(ctx)
    if not pending_count(context.store()):
        return
    from tasks.outbox import api_configured, drain_now

    if not api_configured():
        return
    report = drain_now(context.settings)
    if report.failed:
        print(f"swarmops: warning: {report.summary()}; left for the next drain", file=sys.stderr)
