"""assessment: probe every target, compare the desired config with the store, plan capacity.

Invariant: assessment changes nothing it assesses: it reads config and store and
writes only its own probe round and stage-run row (neither when the store was never
initialised: that is reported as a gap for the deployment stage, not as a failure);
it fails when a required target is down, so the pipeline never deploys onto broken
infrastructure. Run ad hoc: ``python -m flows.assessment``.
"""

from __future__ import annotations

from prefect import flow

from flows._stage import DEFAULTS, FlowParams, StageOutcome, StageRun, Step, run_name, stage_run
from flows.health_check import check
from swarmops.pipeline import ComplianceDelta, GapReport, ResourcePlan
from tasks import reports
from tasks.pipeline import (
    analyse_gaps,
    compliance_delta,
    load_desired,
    plan_resources,
    store_state,
)

NOT_PLANNED = Step(
    name="resources",
    ok=True,
    summary="not planned: the store holds no agents or contracts until the deployment stage",
    markdown="**Resources**: not planned before the store is initialised.",
)


def gap_step(gaps: GapReport, delta: ComplianceDelta) -> Step:
    """The gaps between desired and live state, compliance included, as a table."""
    full = gaps.model_copy(update={"compliance": delta})
    reports.table("gaps", full.rows(), "What the deployment stage would change in the store.")
    summary = f"{full.summary()}; compliance {delta.summary()}"
    return Step(name="gaps", ok=True, summary=summary, markdown=full.markdown())


def plan_step(plan: ResourcePlan) -> Step:
    """Open work against agent capacity, with the recommendation."""
    description = "Open contracts against the spare capacity and skills of available agents."
    reports.table("resource-plan", plan.rows(), description)
    verdict = "sufficient" if plan.sufficient else "short"
    summary = f"{plan.open_contracts} open contract(s), capacity {verdict}"
    return Step(name="resources", ok=True, summary=summary, markdown=plan.markdown())


def assess(run: StageRun) -> list[Step]:
    """Scan, compare and plan; the scan runs beside the probes and the comparison."""
    desired = load_desired(run.settings)
    run.store_ready = store_state(run.store_url) == "ready"
    delta = compliance_delta.submit(desired)
    health = check(run, tolerated=() if run.store_ready else ("store",))
    gaps = analyse_gaps(run.store_url, desired)
    plan = plan_step(plan_resources(run.store_url, desired)) if run.store_ready else NOT_PLANNED
    return [health, gap_step(gaps, delta.result()), plan]


@flow(name="assessment", flow_run_name=run_name("assessment stage"))
def assessment(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Infrastructure scan, gap analysis and resource planning. Read-only: a store never
    initialised is reported as gaps. Fails when a required probe target is down."""
    with stage_run("assessment", params) as run:
        return run.finish(assess(run))


if __name__ == "__main__":
    print("\n".join(assessment().lines()))
