"""deployment: make the store match the desired config, in one transaction.

Invariant: all or nothing: migrate, agents, contracts, queues, compliance baseline
and the applied revision are written in one transaction, so any failure leaves the
store (and the baseline file) exactly as before; ``swarmops rollback`` re-applies
the previous revision. Run ad hoc: ``python -m flows.deployment``.
"""

from __future__ import annotations

from prefect import flow

from flows._stage import FlowParams, StageOutcome, Step, stage_run
from tasks.pipeline import apply_desired, load_desired


class DeployParams(FlowParams):
    """Who the applied revision is recorded as applied by."""

    actor: str = "pipeline"


DEPLOY_DEFAULTS = DeployParams()


@flow(name="deployment")
def deployment(params: DeployParams = DEPLOY_DEFAULTS) -> StageOutcome:
    """Apply the desired state; a no-op when it is already in force."""
    with stage_run("deployment", params) as run:
        applied = apply_desired(run.store, load_desired(run.settings), params.actor)
        changes = applied.changes()
        summary = f"revision {applied.revision[:12]}: " + (
            f"{len(changes)} change(s)" if applied.changed else "already in force"
        )
        return run.finish(
            [Step(name="apply", ok=True, summary=summary, markdown=applied.markdown())]
        )


if __name__ == "__main__":
    print("\n".join(deployment().lines()))
