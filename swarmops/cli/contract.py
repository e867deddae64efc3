"""``swarmops contract``: apply contract files, report progress, show, roll up, verify.

Agents call ``contract progress`` many times a day, so this module loads no heavy
library: pandas loads only inside ``rollup``, and great_expectations never here.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from swarmops.cli.context import CliContext, cli_context
from swarmops.cli.output import Format, emit_json, emit_line, emit_table
from swarmops.identifiers import check_identifier
from swarmops.limits import MAX_INT, MAX_PERCENT

if TYPE_CHECKING:
    from swarmops.contracts.progress import ProgressReport, ProgressResult

contract_app = typer.Typer(
    help="Contracts: apply files, report progress, show, roll up, verify the log."
)

FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
ContractArgument = Annotated[
    str, typer.Argument(metavar="ID", help="The contract.", parser=check_identifier)
]
AgentOption = Annotated[
    str,
    typer.Option("--agent", help="The reporting agent (must hold it).", parser=check_identifier),
]
PercentOption = Annotated[
    float | None,
    typer.Option("--percent", min=0, max=MAX_PERCENT, help="Percent complete, 0..100."),
]
TaskOption = Annotated[
    str | None, typer.Option("--task", help="The task worked on.", parser=check_identifier)
]
DoneOption = Annotated[bool, typer.Option("--done", help="The task is finished.")]
NoteOption = Annotated[str | None, typer.Option("--note", help="A note for the log.")]
KeyOption = Annotated[
    str | None,
    typer.Option("--key", help="Idempotency key (the agent's own).", parser=check_identifier),
]
RegressOption = Annotated[
    bool, typer.Option("--allow-regress", help="Accept a lower percent (a regression).")
]
TokenOption = Annotated[
    int | None, typer.Option("--token", min=0, max=MAX_INT, help="Fencing token of the assignment.")
]


class RollupFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@contract_app.command("apply")
def apply_command(
    ctx: typer.Context,
    folder: Annotated[
        Path | None, typer.Argument(help="Folder of contract files (default: settings).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Plan only; write nothing.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Plan and apply contract files: added, changed, unchanged, removed (all or nothing)."""
    from swarmops.contracts import apply_contracts, load_contract_files, plan_contracts
    from swarmops.contracts.apply import check_owners
    from swarmops.store import in_unit

    context = cli_context(ctx)
    specs = load_contract_files(folder or context.settings.contracts)
    store = context.store()
    if dry_run:
        with store.unit(read_only=True) as unit:
            check_owners(unit, specs)
            plan = plan_contracts(unit, specs)
    else:
        plan = in_unit(store, apply_contracts, specs)
    if fmt is Format.json:
        emit_json({"dry_run": dry_run, **plan.model_dump(mode="json")})
        return
    for verb in ("added", "changed", "unchanged", "removed"):
        for contract_id in getattr(plan, verb):
            emit_line(f"{verb:9} {contract_id}")
    emit_line(("plan: " if dry_run else "applied: ") + plan.summary())


@contract_app.command("progress")
def progress_command(
    ctx: typer.Context,
    contract_id: ContractArgument,
    agent: AgentOption,
    percent: PercentOption = None,
    task_id: TaskOption = None,
    done: DoneOption = False,
    note: NoteOption = None,
    key: KeyOption = None,
    allow_regress: RegressOption = False,
    token: TokenOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Report progress: --percent P, or --task T [--done]; exits 2 if refused."""
    report: ProgressReport = {"percent": percent, "task_id": task_id, "done": done, "note": note}
    report.update({"key": key, "allow_regress": allow_regress, "token": token})
    result = _report_progress(cli_context(ctx), contract_id, agent, report)
    if fmt is Format.json:
        emit_json(result)
        return
    replay = " (replayed)" if result.replayed else ""
    emit_line(f"{contract_id}: {result.event.percent:g}% {result.status}{replay}")


def _report_progress(
    context: CliContext, contract_id: str, agent: str, report: ProgressReport
) -> ProgressResult:
    """The report in a unit of its own; a stale token's refusal is committed in another
    (the report's unit rolled back) before StaleToken exits."""
    from swarmops.contracts import record_progress, reject_stale
    from swarmops.errors import StaleToken
    from swarmops.store import in_unit

    store = context.store()
    try:
        return in_unit(store, record_progress, contract_id, agent, **report)
    except StaleToken:
        in_unit(store, reject_stale, contract_id, agent, report.get("token"))
        raise


@contract_app.command("status")
def status_command(
    ctx: typer.Context,
    contract_id: ContractArgument,
    to_status: Annotated[str, typer.Argument(metavar="STATUS", help="The new status.")],
    actor: Annotated[
        str,
        typer.Option("--actor", help="Who: an operator, agent or system.", parser=check_identifier),
    ],
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the log.")] = None,
) -> None:
    """Move a contract to another status (for example REVIEW -> DONE) as the machine allows."""
    from swarmops.contracts import change_status
    from swarmops.store import in_unit

    store = cli_context(ctx).store()
    event = in_unit(
        store, change_status, contract_id, to_status.upper(), actor=actor, reason=reason
    )
    emit_line(f"{contract_id}: {event.from_status} -> {event.to_status} (version {event.seq})")


@contract_app.command("show")
def show_command(
    ctx: typer.Context,
    contract_id: ContractArgument,
    fmt: FormatOption = Format.table,
) -> None:
    """One contract: its fields, tasks, percent and status log."""
    from swarmops.contracts import contract_history, get_contract, percent_by_contract

    store = cli_context(ctx).store()
    contract = get_contract(store, contract_id)
    percent = percent_by_contract(store).get(contract_id, 0.0)
    history = contract_history(store, contract_id)
    if fmt is Format.json:
        emit_json({"contract": contract, "percent": percent, "history": history})
        return
    emit_line(f"{contract.id} {contract.title} [{contract.status}] {percent:g}%")
    emit_line(
        f"owner {contract.owner or '-'}, due {contract.due or '-'}, token {contract.fence_token}"
    )
    tasks = [(t.task_id, t.title, t.weight, t.done_at) for t in contract.tasks]
    emit_table("tasks", ["task", "title", "weight", "done"], tasks)
    log = [(e.seq, e.from_status, e.to_status, e.owner, e.actor, e.at) for e in history]
    emit_table("history", ["seq", "from", "to", "owner", "actor", "at"], log)


@contract_app.command("rollup")
def rollup_command(
    ctx: typer.Context,
    fmt: Annotated[RollupFormat, typer.Option("--format", help="Output format.")] = (
        RollupFormat.table
    ),
) -> None:
    """Progress per contract, per agent and for the swarm (JSON: contracts, agents, swarm)."""
    from swarmops.contracts.rollup import records
    from swarmops.contracts.summary import rollup_store

    context = cli_context(ctx)
    result = rollup_store(context.store(), context.settings.progress)
    if fmt is RollupFormat.json:
        emit_json(result.to_json())
    elif fmt is RollupFormat.csv:
        result.contracts.to_csv(sys.stdout, index=False)
    else:
        rows = [_rollup_row(r) for r in records(result.contracts)]
        columns = ["id", "owner", "status", "percent", "tasks", "%/day", "eta", "track"]
        emit_table("contracts", columns, rows)
        swarm = result.swarm
        emit_line(f"swarm: {swarm['contracts']} contracts, {swarm['completion']:g}% complete")


@contract_app.command("verify")
def verify_command(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """Replay every contract's status log against its projection; exit 1 on any difference."""
    from swarmops.contracts import verify_contracts

    report = verify_contracts(cli_context(ctx).store())
    if fmt is Format.json:
        emit_json(report)
    elif report.ok:
        emit_line(f"log and projection agree: {report.contracts} contracts, {report.events} events")
    else:
        rows = [[d.contract_id, d.what, d.projection, d.log] for d in report.differences]
        emit_table("differences", ("contract", "what", "projection", "log"), rows)
    if not report.ok:
        raise typer.Exit(1)


def _rollup_row(r: dict[str, Any]) -> tuple[Any, ...]:
    """One contract of the rollup as the table prints it."""
    return (
        r["id"],
        r["owner"],
        r["status"],
        f"{r['percent']:g}%",
        f"{r['tasks_done']}/{r['tasks_total']}",
        f"{r['velocity_pct_per_day']:g}",
        (r["eta"] or "-")[:10],
        r["track"],
    )
