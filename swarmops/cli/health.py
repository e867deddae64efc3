"""``swarmops health check|report``: probe every target now; uptime against the SLO."""

from __future__ import annotations

from typing import Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_table

health_app = typer.Typer(
    help="Probe every target (store, Prefect, HTTP, TCP, disk) and report uptime.",
    no_args_is_help=True,
)
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


@health_app.command("check")
def check(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """Run every probe once, concurrently, and store the results; exit 1 if any fails."""
    from swarmops.cli.outbox import publish_committed
    from swarmops.health import check_health

    context = cli_context(ctx)
    outcome = check_health(context.settings, context.store())
    publish_committed(ctx)
    if fmt is Format.json:
        emit_json(outcome.summary())
    else:
        rows = [
            (r.target, r.kind, _verdict(r.ok, r.optional), f"{r.latency_s:.3f}", r.detail)
            for r in outcome.results
        ]
        title = "health: ok" if outcome.ok else "health: FAILING"
        emit_table(title, ("target", "kind", "ok", "latency s", "detail"), rows)
    if not outcome.ok:
        raise typer.Exit(1)


@health_app.command("report")
def report(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """Uptime and error rate per target over 1 h, 24 h and 30 d, against the SLO."""
    from swarmops.health import uptime_report

    context = cli_context(ctx)
    uptime = uptime_report(context.store(), context.settings.health.slo)
    if fmt is Format.json:
        emit_json(uptime)
        return
    rows = [
        (
            row.target,
            row.window,
            row.probes,
            _percent(row.uptime),
            _percent(row.error_rate),
            _verdict(row.meets_slo, False),
        )
        for row in uptime.rows
    ]
    title = f"uptime against SLO {uptime.slo:.3%}"
    emit_table(title, ("target", "window", "probes", "uptime", "error rate", "meets SLO"), rows)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.3%}"


def _verdict(ok: bool | None, optional: bool) -> str:
    if ok is None:
        return "no data"
    return ("yes" if ok else "NO") + (" (optional)" if optional else "")
