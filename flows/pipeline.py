"""pipeline: assessment, deployment, validation and operations, in that order.

Invariant: a stage runs only when every stage before it completed: the first failed
stage stops the pipeline, and the pipeline run fails with that stage's reason.
Run ad hoc: ``python -m flows.pipeline``.
"""

from __future__ import annotations

from typing import Any, Literal

from prefect import flow
from prefect.states import Failed
from pydantic import BaseModel, ConfigDict

from flows._stage import FlowParams, StageOutcome
from flows.assessment import assessment
from flows.deployment import deployment
from flows.operations import operations
from flows.validation import validation

StageName = Literal["assessment", "deployment", "validation", "operations"]
ORDER: tuple[StageName, ...] = ("assessment", "deployment", "validation", "operations")
STAGES: dict[str, Any] = {
    "assessment": assessment,
    "deployment": deployment,
    "validation": validation,
    "operations": operations,
}


class PipelineParams(FlowParams):
    """Which stages to run (all four by default), always in pipeline order."""

    stages: tuple[StageName, ...] = ORDER


PIPELINE_DEFAULTS = PipelineParams()


class PipelineOutcome(BaseModel):
    """Each stage that ran, and the one that failed (None when all completed)."""

    model_config = ConfigDict(frozen=True)

    stages: tuple[StageOutcome, ...]
    failed: str | None = None
    reason: str | None = None

    def lines(self) -> list[str]:
        lines = [line for stage in self.stages for line in stage.lines()]
        if self.failed:
            lines.append(f"{self.failed}: FAILED: {self.reason}")
        return lines


@flow(name="pipeline")
def pipeline(params: PipelineParams = PIPELINE_DEFAULTS) -> Any:
    """Run the chosen stages in order and stop at the first that fails."""
    where = params.model_dump(mode="json", include={"config", "store_url"})
    done: list[StageOutcome] = []
    for name in [stage for stage in STAGES if stage in params.stages]:
        state = STAGES[name](where, return_state=True)
        if not state.is_completed():
            reason = state.message or state.name
            outcome = PipelineOutcome(stages=tuple(done), failed=name, reason=reason)
            return Failed(message=f"stage {name} failed: {reason}", data=outcome)
        done.append(state.result())
    return PipelineOutcome(stages=tuple(done))


if __name__ == "__main__":
    outcome = pipeline()
    assert outcome is not None
    print("\n".join(outcome.lines()))
