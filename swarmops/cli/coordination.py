"""``swarmops assign`` and ``swarmops failover``: the operators' side of coordination."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_line, emit_table

if TYPE_CHECKING:
    from swarmops.coordination import AssignmentReport

DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Print the plan; change nothing.")]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
PLAN_COLUMNS = ["contract_id", "agent_id", "priority", "due", "agent_load", "agent_capacity"]


def assign(
    ctx: typer.Context, dry_run: DryRunOption = False, fmt: FormatOption = Format.table
) -> None:
    """Balance open contracts across capable agents (least-loaded, most urgent first)."""
    from swarmops.coordination import assign as assign_work

    context = cli_context(ctx)
    report = assign_work(context.store(), context.settings.coordination, dry_run=dry_run)
    if fmt is Format.json:
        emit_json(report.model_dump(mode="json") | {"assigned": report.assigned})
    else:
        _emit_plan(report)


def failover(
    ctx: typer.Context, dry_run: DryRunOption = False, fmt: FormatOption = Format.table
) -> None:
    """Sweep agents that stopped heartbeating: OFFLINE, release their work, reassign it."""
    from swarmops.coordination import failover as sweep
    from swarmops.fsm import load_agent_machine

    settings = cli_context(ctx).settings
    machine = load_agent_machine(settings.fsm)
    report = sweep(cli_context(ctx).store(), machine, settings.coordination, dry_run=dry_run)
    if fmt is Format.json:
        emit_json(report.model_dump(mode="json") | {"failovers": report.failovers})
        return
    rows = [
        [
            a.agent_id,
            a.from_state,
            a.heartbeat_at,
            a.released_messages,
            ", ".join(a.released_contracts),
        ]
        for a in report.offline
    ]
    title = "would go OFFLINE" if dry_run else "OFFLINE"
    emit_table(title, ["agent", "was", "last heartbeat", "messages", "contracts"], rows)
    emit_line(f"alerts raised {report.alerts_raised}, resolved {report.alerts_resolved}")
    _emit_plan(report.reassignment)


def _emit_plan(report: AssignmentReport) -> None:
    verb = "planned" if report.dry_run else "made"
    rows = [[getattr(a, c) for c in PLAN_COLUMNS] + [a.token] for a in report.assignments]
    emit_table(f"assignments {verb}", [*PLAN_COLUMNS, "token"], rows)
    for left in report.unassigned:
        emit_line(f"left open: {left.contract_id} ({left.reason})")
