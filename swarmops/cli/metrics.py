"""``swarmops metrics [--push]``: the current Prometheus exposition, built from the store."""

from __future__ import annotations

from typing import Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import emit_line

JOB = "swarmops"


def metrics(
    ctx: typer.Context,
    push: Annotated[
        bool,
        typer.Option("--push", help="Push to the configured Pushgateway instead of printing."),
    ] = False,
) -> None:
    """Print (or push) every swarmops metric in the Prometheus text format."""
    from swarmops.errors import ConfigError
    from swarmops.metrics import publish_batch, store_metrics

    context = cli_context(ctx)
    settings = context.settings
    built = store_metrics(context.store(), settings.health.slo)
    if not push:
        emit_line(built.exposition().decode("utf-8").rstrip("\n"))
        return
    if not settings.metrics.pushgateway:
        raise ConfigError(
            "no Pushgateway configured: set metrics.pushgateway or SWARMOPS_METRICS__PUSHGATEWAY"
        )
    published = publish_batch(built, settings.metrics, job=JOB)
    emit_line(f"pushed to {published.pushgateway} as job {published.job}")
