"""pipeline: assessment, deployment, validation and operations, in that order.

Invariant: a stage runs only when every stage before it completed: the first failed
stage stops the pipeline, and the pipeline run fails with that stage's reason.
Either way the pipeline's own run ends with a summary artifact and its lines in the
run's Logs tab. Run ad hoc: ``python -m flows.pipeline``.
"""

from __future__ import annotations

import threading
from typing import Any, Literal

from prefect import flow, get_run_logger
from prefect.states import Failed
from pydantic import BaseModel, ConfigDict

from flows._stage import FlowParams, StageOutcome, run_name
from flows.assessment import assessment
from flows.deployment import apply_desired_state
from flows.operations import operations
from flows.validation import preload, validation
from swarmops.pipeline.report import markdown_table
from tasks import reports

StageName = Literal["assessment", "deployment", "validation", "operations"]
ORDER: tuple[StageName, ...] = ("assessment", "deployment", "validation", "operations")
STAGES: dict[str, Any] = {
    "assessment": assessment,
    "deployment": apply_desired_state,
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

    def markdown(self) -> str:
        """The summary artifact: one row per stage with its verdict and step lines."""
        verdict = f"failed at {self.failed}: {self.reason}" if self.failed else "completed"
        rows = [
            [
                s.stage,
                "ok" if s.ok else "FAILED",
                "<br>".join(f"{x.name}: {x.summary}" for x in s.steps),
            ]
            for s in self.stages
        ]
        if self.failed:
            rows.append([self.failed, "FAILED", self.reason or ""])
        table = markdown_table(("stage", "result", "what it found and did"), rows)
        return f"# Pipeline: {verdict}\n\n{table}"


def warm_up(stages: tuple[str, ...]) -> None:
    """Import the validation stage's heavy libraries in the background, once."""
    if "validation" in stages:
        loader = threading.Thread(target=preload)
        loader.daemon = True
        loader.start()


def summarise(outcome: PipelineOutcome) -> PipelineOutcome:
    """Log every line through the run logger and publish the summary artifact."""
    logger = get_run_logger()
    for line in outcome.lines():
        (logger.error if outcome.failed else logger.info)(line)
    description = "Every stage of this pipeline run, its result and its findings."
    reports.markdown("pipeline-summary", outcome.markdown(), description)
    return outcome


@flow(name="pipeline", flow_run_name=run_name("pipeline"))
def pipeline(params: PipelineParams = PIPELINE_DEFAULTS) -> Any:
    """Assessment, deployment, validation and operations in order (or the chosen ones);
    stops at the first stage that fails and summarises what every stage did."""
    where = params.model_dump(mode="json", include={"config", "store_url"})
    warm_up(params.stages)
    done: list[StageOutcome] = []
    for name in [stage for stage in STAGES if stage in params.stages]:
        state = STAGES[name](where, return_state=True)
        if not state.is_completed():
            reason = state.message or state.name
            failed = summarise(PipelineOutcome(stages=tuple(done), failed=name, reason=reason))
            return Failed(message=f"stage {name} failed: {reason}", data=failed)
        done.append(state.result())
    return summarise(PipelineOutcome(stages=tuple(done)))


if __name__ == "__main__":
    outcome = pipeline()
    assert outcome is not None
    print("\n".join(outcome.lines()))
