"""What every flow shares: its parameters, its store, its report and its stage-run row.

A stage run always ends with a Markdown report under a stable key and a
``stage_runs`` row, whether it completed or failed; a failed check raises
``CheckFailed`` with the reason, so the flow run fails and says why.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from prefect import get_run_logger
from pydantic import BaseModel, ConfigDict

from swarmops.errors import CheckFailed, SwarmopsError
from swarmops.settings import Settings, load_settings
from swarmops.store import Store, open_store
from tasks import alerts, reports
from tasks.metrics import publish
from tasks.pipeline import record_stage_run


class FlowParams(BaseModel):
    """Where the flow reads its settings; None takes the settings' own default
    (``SWARMOPS_CONFIG`` or config/swarmops.yaml, ``SWARMOPS_STORE_URL`` or the config)."""

    model_config = ConfigDict(frozen=True)

    config: Path | None = None
    store_url: str | None = None

    def settings(self) -> Settings:
        return load_settings(self.config, store_url=self.store_url)


DEFAULTS = FlowParams()


class Step(BaseModel):
    """One piece of a stage: whether it passed, a one-line summary and its report section."""

    model_config = ConfigDict(frozen=True)

    name: str
    ok: bool
    summary: str
    markdown: str


class StageOutcome(BaseModel):
    """A finished stage: the one line a person reads first, and each step's line."""

    model_config = ConfigDict(frozen=True)

    stage: str
    ok: bool
    summary: str
    steps: tuple[Step, ...] = ()

    def lines(self) -> list[str]:
        return [
            f"{self.stage}: {self.summary}",
            *(f"  - {s.name}: {s.summary}" for s in self.steps),
        ]


class StageRun:
    """An open stage run: the settings, the store and when it started."""

    def __init__(self, stage: str, settings: Settings, store: Store) -> None:
        self.stage, self.settings, self.store = stage, settings, store
        self.started_at: datetime = store.now()

    def finish(self, steps: list[Step]) -> StageOutcome:
        """Publish the report and record the run; raise ``CheckFailed`` if a step failed."""
        failed = [step for step in steps if not step.ok]
        summary = "; ".join(f"{s.name} failed: {s.summary}" for s in failed) or "completed"
        outcome = StageOutcome(stage=self.stage, ok=not failed, summary=summary, steps=tuple(steps))
        sections = [f"# {self.stage.capitalize()}: {summary}", *(s.markdown for s in steps)]
        reports.markdown(f"{self.stage}-report", "\n\n".join(sections), f"{self.stage} report")
        self._record(outcome.ok, outcome.model_dump(mode="json"))
        if failed:
            raise CheckFailed(f"{self.stage} failed: {summary}")
        return outcome

    def fail(self, error: BaseException) -> None:
        """Report and record a run that stopped on an exception."""
        reason = f"{type(error).__name__}: {error}"
        text = f"# {self.stage.capitalize()}: FAILED\n\nStopped on `{reason}`."
        reports.markdown(f"{self.stage}-report", text, f"{self.stage} report")
        self._record(False, {"stage": self.stage, "ok": False, "summary": reason})

    def _record(self, ok: bool, summary: dict[str, object]) -> None:
        result = "completed" if ok else "failed"
        message = f"{self.stage} {result}: {summary.get('summary', '')}"
        event = alerts.Alert(
            event=f"swarmops.stage.{result}", kind="stage", resource_id=self.stage, message=message
        )
        alerts.emit([event])
        try:
            record_stage_run(self.store, self.stage, result, self.started_at, summary)
        except SwarmopsError as error:  # the store may be what failed; the run's error stands
            get_run_logger().warning("stage run not recorded: %s", error)


@contextmanager
def stage_run(stage: str, params: FlowParams) -> Iterator[StageRun]:
    """Open the store for one stage run; a run that raises is reported and recorded."""
    settings = params.settings()
    store = open_store(settings.store_url, migrate=False)
    try:
        run = StageRun(stage, settings, store)
        try:
            yield run
        except CheckFailed:
            raise
        except Exception as error:
            run.fail(error)
            raise
    finally:
        store.dispose()


def metrics_step(run: StageRun, job: str) -> Step:
    """Publish every metric once at the end of a batch run (textfile, Pushgateway)."""
    done = publish(run.store, run.settings, job)
    where = [w for w in (done.textfile, done.pushgateway) if w] or ["nowhere configured"]
    line = "published to " + ", ".join(where)
    return Step(name="metrics", ok=True, summary=line, markdown=f"**Metrics** {line}.")
