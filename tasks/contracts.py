"""Contract tasks: one rollup per call over every contract, the alert pass it feeds,
and the data-quality suites over the contract tables."""

from __future__ import annotations

from prefect import task

from swarmops import validation
from swarmops.contracts import AlertSync, sync_alerts
from swarmops.contracts import summary as rollups
from swarmops.contracts.summary import Rollup
from swarmops.settings import ProgressSettings
from swarmops.store import in_unit
from swarmops.validation import ValidationReport as DataReport
from tasks.policy import io_policy
from tasks.stores import store_for


@task(name="progress-rollup", **io_policy())
def rollup(store_url: str, settings: ProgressSettings) -> Rollup:
    """Completion, velocity, ETA and track of every contract, by agent and for the swarm."""
    return rollups.rollup_store(store_for(store_url), settings)


@task(name="contract-alerts", **io_policy())
def sync_contract_alerts(store_url: str, result: Rollup) -> AlertSync:
    """Raise or resolve stalled/overdue/behind alerts from the rollup's tracks."""
    tracks = list(zip(result.contracts["id"], result.contracts["track"], strict=True))
    return in_unit(store_for(store_url), sync_alerts, tracks)


@task(name="data-suites", **io_policy())
def validate_data(store_url: str) -> DataReport:
    """Run every Great Expectations suite over the store's contracts, tasks and events."""
    return validation.validate_store(store_for(store_url))
