"""The embedded default: flows run in this process against Prefect's ephemeral server,
quietly and completely.

Measured with Prefect 3.9.1: the ephemeral server records task runs from client
events in the background, a few seconds behind; a process that exits right after
its flow stops the server with events still queued, so 10-15% of 1,200 task runs
stayed RUNNING or missing and shutdown printed 'Error flushing ... events' and
CancelledError tracebacks. Draining fixes it: :func:`recorded` notes every task run
this process finishes, then flushes the client's event and log workers and waits
until the server holds each of those runs in a final state. Only then may the
server stop. Telemetry is off and Prefect's console prints nothing below CRITICAL: the
CLI prints each stage's lines and one line per failure, and the full logs (tracebacks
included) stay in the API, in each run's Logs tab.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

from swarmops.errors import SwarmopsError

QUIET = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",  # errors: one line from the CLI
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",  # a busy host is slow to start
}
HOME = Path(".swarmops/prefect")
TASK_RUN_LOGGER = "prefect.task_runs"
BATCH = 200


def prepare(environ: MutableMapping[str, str] | None = None, home: Path = HOME) -> None:
    """Call before importing prefect: telemetry off, quiet console, and without a
    configured API a private PREFECT_HOME (its database lives under ``home``)."""
    env = os.environ if environ is None else environ
    for name, value in QUIET.items():
        env.setdefault(name, value)
    if not env.get("PREFECT_API_URL"):
        home.mkdir(parents=True, exist_ok=True)
        env.setdefault("PREFECT_HOME", str(home.resolve()))


class RunTracker(logging.Handler):
    """Notes the id of every task run that logs in this process (each logs its end)."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.ids: set[UUID] = set()

    def emit(self, record: logging.LogRecord) -> None:
        task_run_id = getattr(record, "task_run_id", None)
        if task_run_id:
            self.ids.add(UUID(str(task_run_id)))


@contextmanager
def recorded(timeout_s: float = 120.0) -> Iterator[RunTracker]:
    """Track the task runs of the enclosed flows; on the way out, wait until the API has
    recorded each of them in a final state (at most ``timeout_s``).

    Flow-run heartbeats are off inside: they let a server notice a crashed run, and the
    ephemeral server stops with this process, while each flow's exit waited up to a
    second for the heartbeat thread (Prefect 3.9.1 sleeps it in 1 s steps)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    tracker = RunTracker()
    logger = logging.getLogger(TASK_RUN_LOGGER)
    logger.addHandler(tracker)
    try:
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield tracker
    finally:
        logger.removeHandler(tracker)
    settle(tracker.ids, timeout_s)  # not after an interrupt: Ctrl-C must not wait


def settle(ids: set[UUID], timeout_s: float) -> None:
    """Flush the client's workers, then poll until every run in ``ids`` is final."""
    from prefect.client.orchestration import get_client
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    EventsWorker.drain_all(timeout=timeout_s)
    APILogWorker.drain_all(timeout=timeout_s)
    deadline = time.monotonic() + timeout_s
    with get_client(sync_client=True) as client:
        pending = set(ids)
        while pending:
            pending = _unrecorded(client, pending)
            if pending and time.monotonic() > deadline:
                raise SwarmopsError(f"{len(pending)} task run(s) not recorded in {timeout_s:g} s")
            if pending:
                time.sleep(0.2)


def _unrecorded(client: object, ids: set[UUID]) -> set[UUID]:
    """The runs in ``ids`` the API does not yet hold in a final state."""
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterId

    ordered = sorted(ids)
    final: set[UUID] = set()
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start : start + BATCH]
        runs = client.read_task_runs(  # type: ignore[attr-defined]
            task_run_filter=TaskRunFilter(id=TaskRunFilterId(any_=chunk)), limit=BATCH
        )
        final |= {run.id for run in runs if run.state is not None and run.state.is_final()}
    return ids - final


def run_pipeline(stages: list[str], config: Path | None, store_url: str | None) -> Any:
    """Run the pipeline flow here and return its PipelineOutcome once every run is recorded."""
    from flows.pipeline import PipelineParams, pipeline

    params = PipelineParams(stages=tuple(stages), config=config, store_url=store_url)  # type: ignore[arg-type]
    with recorded():
        state = pipeline(params, return_state=True)
    outcome = state.result(raise_on_failure=False)  # type: ignore[attr-defined]
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome
