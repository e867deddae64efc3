"""Metrics task: build every metric from the store and publish it once per batch run."""

from __future__ import annotations

from prefect import task

from swarmops import metrics
from swarmops.metrics import Published
from swarmops.settings import Settings
from tasks.policy import io_policy
from tasks.stores import store_for


@task(name="publish-metrics", **io_policy())
def publish(settings: Settings, job: str, succeeded: bool = True) -> Published:
    """Write the textfile and push to the Pushgateway, whichever settings configure."""
    built = metrics.store_metrics(store_for(settings.store_url), settings.health.slo)
    return metrics.publish_batch(built, settings.metrics, job, succeeded)
