"""The embedded default's machinery: a quiet private environment, and the drain that
waits until the API holds every task run of this process in a final state."""

from __future__ import annotations

import logging
from pathlib import Path
from uuid import uuid4

import pytest
from prefect import flow, task
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterId

from deployments.embedded import RunTracker, prepare, recorded
from swarmops.cli import main

RUNS = 25


@task
def one(i: int) -> int:
    return i


@flow
def many() -> int:
    return sum(one(i) for i in range(RUNS))


def test_prepare_turns_telemetry_off_and_keeps_prefect_home_private(tmp_path: Path) -> None:
    env: dict[str, str] = {}
    prepare(env, home=tmp_path / "prefect")
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false" and env["DO_NOT_TRACK"] == "1"
    assert env["PREFECT_HOME"] == str((tmp_path / "prefect").resolve())
    assert (tmp_path / "prefect").is_dir()


def test_prepare_leaves_a_configured_api_and_explicit_choices_alone(tmp_path: Path) -> None:
    env = {
        "PREFECT_API_URL": "http://prefect:4200/api",
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "INFO",
    }
    prepare(env, home=tmp_path / "prefect")
    assert "PREFECT_HOME" not in env
    assert env["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] == "INFO"


def test_the_tracker_notes_task_runs_from_their_log_records() -> None:
    tracker, task_run_id = RunTracker(), uuid4()
    record = logging.LogRecord("prefect.task_runs", logging.INFO, "", 0, "Finished", None, None)
    record.task_run_id = str(task_run_id)
    tracker.emit(record)
    tracker.emit(logging.LogRecord("prefect", logging.INFO, "", 0, "no run", None, None))
    assert tracker.ids == {task_run_id}


def test_recorded_returns_only_when_every_task_run_is_final() -> None:
    with recorded(timeout_s=120) as tracker:
        assert many() == sum(range(RUNS))
    assert len(tracker.ids) == RUNS
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            task_run_filter=TaskRunFilter(id=TaskRunFilterId(any_=sorted(tracker.ids)))
        )
    assert len(runs) == RUNS and all(run.state and run.state.is_final() for run in runs)


def test_an_unknown_stage_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["pipeline", "run", "--stage", "rollout"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "swarmops: error: unknown stage 'rollout' (use one of: assessment, deployment, "
        "validation, operations, all)"
    ]
