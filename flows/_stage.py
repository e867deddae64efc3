"""What every flow shares: its parameters, its store, its report, its logs, its run name
and its stage-run row.

A stage run always ends with a Markdown report under a stable key, its findings in
the run's Logs tab and a ``stage_runs`` row (when the store has its schema), whether
it completed or failed; a failed check raises ``CheckFailed`` with the reason, so
the flow run fails and says why.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import get_run_logger
from pydantic import BaseModel, ConfigDict

from swarmops.errors import CheckFailed, SwarmopsError
from swarmops.settings import Settings, load_settings
from swarmops.store import Store
from tasks import reports
from tasks.metrics import publish
from tasks.outbox import publish_outbox
from tasks.pipeline import record_stage_run
from tasks.stores import store_for

STORE_SECRET = "SWARMOPS_STORE_SECRET"


def secret_store_url() -> str | None:
    """The store URL kept in the Prefect Secret block ``$SWARMOPS_STORE_SECRET`` names
    (how a work-pool deployment gets it onto every worker without writing it down)."""
    name = os.environ.get(STORE_SECRET, "").strip()
    if not name:
        return None
    from prefect.blocks.system import Secret

    block: Any = Secret.load(name)  # sync in a flow run (load is async-dispatched)
    return str(block.get())


class FlowParams(BaseModel):
    """Where the flow reads its settings; None takes the settings' own default
    (``SWARMOPS_CONFIG`` or config/swarmops.yaml; the store URL from the Secret block
    ``SWARMOPS_STORE_SECRET`` names, else ``SWARMOPS_STORE_URL``, else the config)."""

    model_config = ConfigDict(frozen=True)

    config: Path | None = None
    store_url: str | None = None

    def settings(self) -> Settings:
        return load_settings(self.config, store_url=self.store_url or secret_store_url())


DEFAULTS = FlowParams()


def run_name(label: str) -> Callable[[], str]:
    """A flow-run name that says what ran and when: ``assessment stage 2026-12-02 06:40:12Z``."""

    def name() -> str:
        return f"{label} {datetime.now(UTC):%Y-%m-%d %H:%M:%S}Z"

    return name


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
    """An open stage run: the settings, the store, when it started and whether the
    store can hold its stage-run row (a never-initialised one cannot)."""

    def __init__(self, stage: str, settings: Settings) -> None:
        self.stage, self.settings = stage, settings
        self.store_url = settings.store_url
        self.started_at: datetime = self.store.now()
        self.store_ready = True

    @property
    def store(self) -> Store:
        return store_for(self.store_url)

    def finish(self, steps: list[Step]) -> StageOutcome:
        """Publish the report and record the run; raise ``CheckFailed`` if a step failed."""
        failed = [step for step in steps if not step.ok]
        summary = "; ".join(f"{s.name} failed: {s.summary}" for s in failed) or "completed"
        outcome = StageOutcome(stage=self.stage, ok=not failed, summary=summary, steps=tuple(steps))
        logger = get_run_logger()
        for line in outcome.lines():
            (logger.info if outcome.ok else logger.warning)(line)
        sections = [f"# {self.stage.capitalize()}: {summary}", *(s.markdown for s in steps)]
        reports.markdown(f"{self.stage}-report", "\n\n".join(sections), self._description())
        self._record(outcome.ok, outcome.model_dump(mode="json"))
        if failed:
            raise CheckFailed(f"{self.stage} failed: {summary}")
        return outcome

    def fail(self, error: BaseException) -> None:
        """Report and record a run that stopped on an exception."""
        reason = f"{type(error).__name__}: {error}"
        get_run_logger().error("%s stopped: %s", self.stage, reason)
        text = f"# {self.stage.capitalize()}: FAILED\n\nStopped on `{reason}`."
        reports.markdown(f"{self.stage}-report", text, self._description())
        self._record(False, {"stage": self.stage, "ok": False, "summary": reason})

    def _description(self) -> str:
        return f"The {self.stage} run's findings, step by step (latest run)."

    def _record(self, ok: bool, summary: dict[str, object]) -> None:
        """Record the run (its stage event is an outbox row of the same unit), then send
        what the outbox holds: this run's alerts and events, and any left by others."""
        result = "completed" if ok else "failed"
        if not self.store_ready:
            get_run_logger().info("store not initialised yet: this stage run is not recorded")
            return
        try:
            record_stage_run(self.store_url, self.stage, result, self.started_at, summary)
            sent = publish_outbox(self.settings)
        except SwarmopsError as error:  # the store may be what failed; the run's error stands
            get_run_logger().warning("stage run not recorded or not published: %s", error)
            return
        if sent.failed:
            get_run_logger().warning("outbox: %s; left for the next drain", sent.summary())


@contextmanager
def stage_run(stage: str, params: FlowParams) -> Iterator[StageRun]:
    """Open the stage run; a run that raises is reported and recorded."""
    run = StageRun(stage, params.settings())
    try:
        yield run
    except CheckFailed:
        raise
    except Exception as error:
        run.fail(error)
        raise


def metrics_step(run: StageRun, job: str, succeeded: bool = True) -> Step:
    """Publish every metric once at the end of a batch run (textfile, Pushgateway); the
    last-success time only when the run's other steps ``succeeded``."""
    done = publish(run.settings, job, succeeded)
    where = [w for w in (done.textfile, done.pushgateway) if w] or ["nowhere configured"]
    line = "published to " + ", ".join(where)
    return Step(name="metrics", ok=True, summary=line, markdown=f"**Metrics** {line}.")
