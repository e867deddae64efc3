"""The deployment stage: make the store match the desired config, in one transaction.

Invariant: all or nothing: migrate, agents, contracts, queues, compliance baseline
and the applied revision are written in one transaction, so any failure leaves the
store (and the baseline file) exactly as before; ``swarmops rollback`` re-applies
the previous revision. A store never initialised is created first (its PostgreSQL
schema too, when the URL names a missing one). The flow is named
``apply-desired-state`` (a Prefect "deployment" is something else); its runs and
reports say "deployment stage". Run ad hoc: ``python -m flows.deployment``.
"""

from __future__ import annotations

from prefect import flow

from flows._stage import FlowParams, StageOutcome, Step, run_name, stage_run
from tasks.pipeline import apply_desired, load_desired

FLOW_NAME = "apply-desired-state"


class DeployParams(FlowParams):
    """Who the applied revision is recorded as applied by."""

    actor: str = "pipeline"


DEPLOY_DEFAULTS = DeployParams()


@flow(name=FLOW_NAME, flow_run_name=run_name("deployment stage"))
def apply_desired_state(params: DeployParams = DEPLOY_DEFAULTS) -> StageOutcome:
    """The deployment stage: apply the desired state (agents, contracts, queues, baseline,
    revision) in one transaction; a no-op when it is already in force."""
    with stage_run("deployment", params) as run:
        applied = apply_desired(run.store_url, load_desired(run.settings), params.actor)
        changes = applied.changes()
        summary = f"revision {applied.revision[:12]}: " + (
            f"{len(changes)} change(s)" if applied.changed else "already in force"
        )
        step = Step(name="apply", ok=True, summary=summary, markdown=applied.markdown())
        return run.finish([step])


if __name__ == "__main__":
    print("\n".join(apply_desired_state().lines()))
