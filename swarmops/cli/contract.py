"""``swarmops contract``: apply contract files, report progress, show, roll up.

Agents call ``contract progress`` many times a day, so this module loads no heavy
library: pandas loads only inside ``rollup``, and great_expectations never here.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_line, emit_table
from swarmops.cli.params import with_options

contract_app = typer.Typer(help="Contracts: apply files, report progress, show, roll up.")

FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


class RollupFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


PROGRESS_OPTIONS: dict[str, tuple[Any, Any]] = {
    "agent": (str, typer.Option(..., "--agent", help="The reporting agent (must hold it).")),
    "percent": (float | None, typer.Option(None, "--percent", help="Percent complete, 0..100.")),
    "task_id": (str | None, typer.Option(None, "--task", help="The task worked on.")),
    "done": (bool, typer.Option(False, "--done", help="The task is finished.")),
    "note": (str | None, typer.Option(None, "--note", help="A note for the log.")),
    "key": (str | None, typer.Option(None, "--key", help="Idempotency key.")),
    "allow_regress": (
        bool,
        typer.Option(False, "--allow-regress", help="Accept a lower percent (a regression)."),
    ),
    "token": (int | None, typer.Option(None, "--token", help="Fencing token of the assignment.")),
    "fmt": (Format, typer.Option(Format.table, "--format", help="Output format.")),
}


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
    from swarmops.contracts import apply_folder

    context = cli_context(ctx)
    plan = apply_folder(context.store(), folder or context.settings.contracts, dry_run=dry_run)
    if fmt is Format.json:
        emit_json({"dry_run": dry_run, **plan.model_dump(mode="json")})
        return
    for verb in ("added", "changed", "unchanged", "removed"):
        for contract_id in getattr(plan, verb):
            emit_line(f"{verb:9} {contract_id}")
    emit_line(("plan: " if dry_run else "applied: ") + plan.summary())


@contract_app.command("progress")
@with_options(PROGRESS_OPTIONS)
def progress_command(
    ctx: typer.Context,
    contract_id: Annotated[str, typer.Argument(metavar="ID", help="The contract.")],
    **options: Any,
) -> None:
    """Report progress: --percent P, or --task T [--done]; exits 2 if refused."""
    from swarmops.contracts import record_progress

    fmt, agent = options.pop("fmt"), options.pop("agent")
    result = record_progress(cli_context(ctx).store(), contract_id, agent, **options)
    if fmt is Format.json:
        emit_json(result)
        return
    event = result.event
    replay = " (replayed)" if result.replayed else ""
    emit_line(f"{contract_id}: {event.percent:g}% {result.status}{replay}")


@contract_app.command("status")
def status_command(
    ctx: typer.Context,
    contract_id: Annotated[str, typer.Argument(metavar="ID", help="The contract.")],
    to_status: Annotated[str, typer.Argument(metavar="STATUS", help="The new status.")],
    actor: Annotated[str, typer.Option("--actor", help="Who: an operator, agent or system.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the log.")] = None,
) -> None:
    """Move a contract to another status (for example REVIEW -> DONE) as the machine allows."""
    from swarmops.contracts import change_status

    store = cli_context(ctx).store()
    with store.write() as conn:
        event = change_status(
            conn, contract_id, to_status.upper(), actor=actor, now=store.now(), reason=reason
        )
    emit_line(f"{contract_id}: {event.from_status} -> {event.to_status} (version {event.seq})")


@contract_app.command("show")
def show_command(
    ctx: typer.Context,
    contract_id: Annotated[str, typer.Argument(metavar="ID", help="The contract.")],
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
        rows = [
            (r["id"], r["owner"], r["status"], f"{r['percent']:g}%",
             f"{r['tasks_done']}/{r['tasks_total']}", f"{r['velocity_pct_per_day']:g}",
             (r["eta"] or "-")[:10], r["track"])
            for r in records(result.contracts)
        ]  # fmt: skip
        columns = ["id", "owner", "status", "percent", "tasks", "%/day", "eta", "track"]
        emit_table("contracts", columns, rows)
        swarm = result.swarm
        emit_line(f"swarm: {swarm['contracts']} contracts, {swarm['completion']:g}% complete")
