"""``swarmops health check|report``: probe every target now; uptime against the SLO."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_table

if TYPE_CHECKING:
    from swarmops.health import HealthRound

health_app = typer.Typer(
    help="Probe every target (store, Prefect, HTTP, TCP, disk) and report uptime.",
    no_args_is_help=True,
)
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


@health_app.command("check")
def check(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """Run every probe once, concurrently, and store the results; exit 1 if a required one
    fails. A store that cannot be opened fails the store probe; the others still run."""
    from swarmops.cli.outbox import publish_committed
    from swarmops.errors import StoreError
    from swarmops.health import check_health

    context = cli_context(ctx)
    settings = context.settings
    try:
        store = context.store()
    except StoreError:
        store = None  # the store probe opens it itself and says why it cannot
    outcome = check_health(settings, store)
    if outcome.not_stored is None:
        publish_committed(ctx)
    if fmt is Format.json:
        emit_json(outcome.summary())
    else:
        _emit_round(outcome)
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


def _emit_round(outcome: HealthRound) -> None:
    from swarmops.health.results import headline

    rows = [
        (r.target, r.kind, _verdict(r.ok, r.optional), f"{r.latency_s:.3f}", r.detail)
        for r in outcome.results
    ]
    title = f"health: {'ok' if outcome.ok else 'FAILING'}, {headline(outcome.results)}"
    if outcome.not_stored is not None:
        title += f" (not stored: {outcome.not_stored})"
    emit_table(title, ("target", "kind", "ok", "latency s", "detail"), rows)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.3%}"


def _verdict(ok: bool | None, optional: bool) -> str:
    if ok is None:
        return "no data"
    return ("yes" if ok else "NO") + (" (optional)" if optional else "")
