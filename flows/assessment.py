"""assessment: probe every target, compare the desired config with the store, plan capacity.

Invariant: assessment changes nothing it assesses: it reads config and store and
writes only its own probe round and stage-run row; it fails when a required target
is down, so the pipeline never deploys onto broken infrastructure.
Run ad hoc: ``python -m flows.assessment``.
"""

from __future__ import annotations

from prefect import flow

from flows._stage import DEFAULTS, FlowParams, StageOutcome, StageRun, Step, stage_run
from flows.health_check import check
from swarmops.pipeline import ComplianceDelta, GapReport, ResourcePlan
from tasks import reports
from tasks.pipeline import analyse_gaps, compliance_delta, load_desired, plan_resources


def gap_step(gaps: GapReport, delta: ComplianceDelta) -> Step:
    """The gaps between desired and live state, compliance included, as a table."""
    full = gaps.model_copy(update={"compliance": delta})
    reports.table("gaps", full.rows(), "desired config against the store")
    state = "in sync" if full.in_sync else f"{len(full.rows())} gap(s)"
    summary = f"{state}; compliance {delta.summary()}"
    return Step(name="gaps", ok=True, summary=summary, markdown=full.markdown())


def plan_step(plan: ResourcePlan) -> Step:
    """Open work against agent capacity, with the recommendation."""
    reports.table("resource-plan", plan.rows(), "open work against agent capacity and skills")
    verdict = "sufficient" if plan.sufficient else "short"
    summary = f"{plan.open_contracts} open contract(s), capacity {verdict}"
    return Step(name="resources", ok=True, summary=summary, markdown=plan.markdown())


def assess(run: StageRun) -> list[Step]:
    """Scan, compare and plan; the scan runs beside the probes and the comparison."""
    desired = load_desired(run.settings)
    delta = compliance_delta.submit(desired)
    health = check(run)
    gaps = analyse_gaps(run.store, desired)
    plan = plan_resources(run.store, desired)
    return [health, gap_step(gaps, delta.result()), plan_step(plan)]


@flow(name="assessment")
def assessment(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Infrastructure scan, gap analysis and resource planning."""
    with stage_run("assessment", params) as run:
        return run.finish(assess(run))


if __name__ == "__main__":
    print("\n".join(assessment().lines()))
