"""Stage tasks over ``swarmops.pipeline``: gap analysis, planning, apply, probes, smoke.

The gap analysis and the compliance delta are separate tasks so a flickering scan
is retried on its own without repeating the store comparison.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import task

from swarmops import pipeline
from swarmops.fsm import load_agent_machine
from swarmops.pipeline import (
    ApplyResult,
    ComplianceDelta,
    DesiredState,
    GapReport,
    ResourcePlan,
    SloReport,
    SmokeReport,
)
from swarmops.settings import Settings
from swarmops.store import in_unit
from swarmops.store.namespace import ensure_namespace
from tasks.policy import PROBE_TIMEOUT_S, io_policy
from tasks.stores import store_for


@task(name="load-desired", **io_policy())
def load_desired(settings: Settings) -> DesiredState:
    """Read the roster, contract files and compliance setup the settings name."""
    return pipeline.load_desired(settings)


@task(name="store-state", **io_policy())
def store_state(store_url: str) -> str:
    """``ready``, ``empty`` (never initialised) or ``schema NAME missing`` (PostgreSQL)."""
    return pipeline.store_state(store_for(store_url))


@task(name="gap-analysis", **io_policy())
def analyse_gaps(store_url: str, desired: DesiredState) -> GapReport:
    """Missing or drifted agents and contracts, pending migrations, a missing store."""
    return pipeline.analyse_gaps(store_for(store_url), desired, scan=False)


@task(name="compliance-delta", **io_policy())
def compliance_delta(desired: DesiredState) -> ComplianceDelta:
    """Scan the desired roots once and compare with the baseline (the gate's input)."""
    return pipeline.compliance_delta(desired)


@task(name="plan-resources", **io_policy())
def plan_resources(store_url: str, desired: DesiredState) -> ResourcePlan:
    """Open work against the spare capacity and skills of available agents."""
    return pipeline.plan_resources(store_for(store_url), load_agent_machine(desired.fsm))


@task(name="apply-desired", **io_policy())
def apply_desired(store_url: str, desired: DesiredState, actor: str) -> ApplyResult:
    """Create the store's schema if the URL names a missing one, then apply in one
    transaction: a failure leaves the store as it was, so a retry is safe."""
    store = store_for(store_url)
    ensure_namespace(store)
    return pipeline.apply_desired(store, desired, actor)


@task(name="slo-probes", **io_policy(timeout_s=PROBE_TIMEOUT_S))
def slo_probes(settings: Settings) -> SloReport:
    """Time a transition, a progress update, a message round trip and a scan."""
    return pipeline.run_slo_probes(store_for(settings.store_url), settings)


@task(name="smoke", **io_policy(timeout_s=PROBE_TIMEOUT_S))
def smoke(settings: Settings) -> SmokeReport:
    """The end-to-end smoke in a scratch namespace that is removed afterwards."""
    return pipeline.run_smoke(settings)


@task(name="record-stage-run", **io_policy())
def record_stage_run(
    store_url: str, stage: str, result: str, started_at: datetime, summary: dict[str, Any]
) -> int:
    """Append the finished stage run that feeds ``swarmops_stage_runs_total``."""
    return in_unit(
        store_for(store_url), pipeline.record_stage_run, stage, result, started_at, summary
    )
