"""``swarmops assign`` and ``swarmops failover``: the operators' side of coordination."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_line, emit_table

if TYPE_CHECKING:
    from swarmops.coordination import AssignmentReport, FailoverReport

DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Print the plan; change nothing.")]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
PLAN_COLUMNS = ["contract_id", "agent_id", "priority", "due", "agent_load", "agent_capacity"]


def assign(
    ctx: typer.Context, dry_run: DryRunOption = False, fmt: FormatOption = Format.table
) -> None:
    """Balance open contracts across capable agents (least-loaded, most urgent first)."""
    from swarmops.coordination import assign as assign_work
    from swarmops.fsm import load_agent_machine
    from swarmops.store import in_unit

    context = cli_context(ctx)
    machine = load_agent_machine(context.settings.fsm)
    policy, store = context.settings.coordination, context.store()
    if dry_run:
        with store.unit(read_only=True) as unit:
            report = assign_work(unit, machine, policy, dry_run=True)
    else:
        report = in_unit(store, assign_work, machine, policy)
    if fmt is Format.json:
        emit_json(report.model_dump(mode="json") | {"assigned": report.assigned})
    else:
        _emit_plan(report)


def failover(
    ctx: typer.Context, dry_run: DryRunOption = False, fmt: FormatOption = Format.table
) -> None:
    """Sweep agents that stopped heartbeating: offline, release their work, reassign it."""
    from swarmops.cli.outbox import publish_committed
    from swarmops.coordination import failover as sweep
    from swarmops.coordination import rehearse
    from swarmops.fsm import load_agent_machine, offline_state
    from swarmops.store import in_unit

    context = cli_context(ctx)
    machine = load_agent_machine(context.settings.fsm)
    policy, store = context.settings.coordination, context.store()
    if dry_run:
        report = rehearse(store, sweep, machine, policy).as_dry_run()
    else:
        report = in_unit(store, sweep, machine, policy)
        publish_committed(ctx)
    if fmt is Format.json:
        emit_json(report.model_dump(mode="json") | {"failovers": report.failovers})
    else:
        _emit_failover(report, offline_state(machine))


def _emit_failover(report: FailoverReport, offline: str) -> None:
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
    title = f"would go {offline}" if report.dry_run else offline
    emit_table(title, ["agent", "was", "last heartbeat", "messages", "contracts"], rows)
    emit_line(f"alerts raised {report.alerts_raised}, resolved {report.alerts_resolved}")
    if report.idle:
        emit_line(f"idle, not silent (their sessions stopped): {', '.join(report.idle)}")
    _emit_plan(report.reassignment)


def _emit_plan(report: AssignmentReport) -> None:
    verb = "planned" if report.dry_run else "made"
    rows = [[getattr(a, c) for c in PLAN_COLUMNS] + [a.token] for a in report.assignments]
    emit_table(f"assignments {verb}", [*PLAN_COLUMNS, "token"], rows)
    for left in report.unassigned:
        emit_line(f"left open: {left.contract_id} ({left.reason})")
