"""Publishing as the flows, the CLI and ``swarmops serve`` use it.

Batch flows call :func:`publish_batch` at their end: the textfile is always
written when one is configured, the Pushgateway gets a pushadd when one is
configured, and only a successful run carries the last-success time.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from swarmops.metrics.publish import (
    MetricsServer,
    PushHandler,
    batch_registry,
    push,
    serve_metrics,
    write_textfile,
)
from swarmops.metrics.registry import SwarmMetrics, store_metrics
from swarmops.settings import MetricsSettings, Settings
from swarmops.store import Store


class Published(BaseModel):
    """Where a batch run's metrics went."""

    model_config = ConfigDict(frozen=True)

    textfile: str | None
    pushgateway: str | None
    job: str
    succeeded: bool


def publish_batch(
    metrics: SwarmMetrics,
    settings: MetricsSettings,
    job: str,
    succeeded: bool = True,
    handler: PushHandler | None = None,
) -> Published:
    """Write the textfile and push to the Pushgateway, whichever are configured."""
    registry = batch_registry(metrics.registry, succeeded)
    if settings.textfile is not None:
        write_textfile(registry, settings.textfile)
    if settings.pushgateway:
        push(registry, settings.pushgateway, job, handler=handler)
    return Published(
        textfile=str(settings.textfile) if settings.textfile else None,
        pushgateway=settings.pushgateway,
        job=job,
        succeeded=succeeded,
    )


def serve_store_metrics(store: Store, settings: Settings, addr: str | None = None) -> MetricsServer:
    """/metrics on ``metrics.host:metrics.port`` (or ``addr``), read afresh per scrape;
    transitions run on ``store`` in this process are timed into its histogram."""
    metrics = store_metrics(store, settings.health.slo)
    store.observer = metrics
    return serve_metrics(metrics.registry, settings.metrics.port, addr or settings.metrics.host)
