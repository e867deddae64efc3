"""The work-pool path end to end: a real `prefect server` (SQLite), the process work pool,
two workers, the manifest deployed from a clean clone with `prefect --no-prompt deploy
--all`, the store on a fresh PostgreSQL schema reached through the Secret block. A
triggered pipeline brings the store up; then a minute of scheduled runs complete, each
run executed by exactly one worker, and every run wrote to the one store. Every wait
is bounded."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from deployments.local_server import LocalServer
from swarmops.store import open_store
from swarmops.store.schema import stage_runs
from tests.integration.prefect_helpers import api, clean_env, pause, request, wait_for

pytestmark = [pytest.mark.heavy, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MINUTELY = ("health-check/every-minute", "failover-sweep/every-minute")
SUBMITTED = re.compile(r"[Ss]ubmitting flow run '([0-9a-f-]{36})'")
# Both workers may try the same run; the server lets one move it to PENDING, and the
# other logs that it aborted its submission.
ABORTED = re.compile(r"Aborted submission of flow run '([0-9a-f-]{36})'")


def claimed_by(log: Path) -> set[str]:
    """The runs this worker submitted and did not have to give up."""
    text = log.read_text(encoding="utf-8")
    return set(SUBMITTED.findall(text)) - set(ABORTED.findall(text))


def run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clean clone of this repository at its HEAD: what CI deploys from."""
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True, timeout=120)
    return target


@pytest.fixture
def workers(tmp_path: Path, server: LocalServer) -> Iterator[list[Path]]:
    """Two process workers on the pool, each in its own folder, logging to a file."""
    env = {**clean_env(), **server.environ()}
    logs, processes = [], []
    for name in ("worker-a", "worker-b"):
        folder = tmp_path / name
        folder.mkdir()
        logs.append(folder / "worker.log")
        command = [str(BIN / "prefect"), "worker", "start", "--pool", "swarmops-process"]
        with logs[-1].open("wb") as log:
            processes.append(
                subprocess.Popen(
                    [*command, "--name", name],
                    cwd=folder,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
    yield logs
    for process in processes:
        process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LocalServer]:
    with LocalServer(tmp_path / "prefect-server") as running:
        yield running


def deployments(server: LocalServer) -> dict[str, Any]:
    flows = {f["id"]: f["name"] for f in api(server, "/flows/filter")}
    return {f"{flows[d['flow_id']]}/{d['name']}": d for d in api(server, "/deployments/filter")}


def runs_of(server: LocalServer, deployment_id: str) -> list[dict[str, Any]]:
    body = {"flow_runs": {"deployment_id": {"any_": [deployment_id]}}}
    return list(api(server, "/flow_runs/filter", body))


def completed(server: LocalServer, deployment_id: str, at_least: int) -> list[dict[str, Any]]:
    done = [r for r in runs_of(server, deployment_id) if r["state_type"] == "COMPLETED"]
    failed = [r for r in runs_of(server, deployment_id) if r["state_type"] in ("FAILED", "CRASHED")]
    assert not failed, (failed[0]["name"], failed[0]["state"]["message"])
    return done if len(done) >= at_least else []


def deploy(server: LocalServer, clone: Path, store_url: str) -> dict[str, Any]:
    """Pool, secret and every deployment, from the clean clone."""
    env = {**clean_env(), **server.environ(), "SWARMOPS_REPOSITORY": str(clone)}
    pool = ["work-pool", "create", "swarmops-process", "--type", "process", "--overwrite"]
    run([str(BIN / "prefect"), *pool], clone, env)
    run([sys.executable, "-m", "deployments.secrets", store_url], clone, env)
    run([str(BIN / "prefect"), "--no-prompt", "deploy", "--all"], clone, env)
    found = deployments(server)
    for entry in found.values():  # unpaused one by one below, in the order runs need them
        pause(server, entry["id"])
    return found


def unpause(server: LocalServer, deployment_id: str) -> None:
    request("PATCH", f"{server.api_url}/deployments/{deployment_id}", {"paused": False})


def test_two_workers_run_the_deployed_pipeline_and_schedules_on_one_store(
    server: LocalServer, clone: Path, workers: list[Path], pg_schema_url: str
) -> None:
    found = deploy(server, clone, pg_schema_url)
    pipeline_id = found["pipeline/on-demand"]["id"]
    unpause(server, pipeline_id)
    triggered = api(server, f"/deployments/{pipeline_id}/create_flow_run")
    wait_for(lambda: completed(server, pipeline_id, 1), 600, "the triggered pipeline run")
    scheduled = [found[name]["id"] for name in MINUTELY]  # once the pipeline made the store
    for deployment_id in scheduled:
        unpause(server, deployment_id)
    for deployment_id in scheduled:
        wait_for(lambda d=deployment_id: completed(server, d, 1), 240, "a scheduled minute run")
    runs = [triggered["id"]] + [r["id"] for d in scheduled for r in completed(server, d, 1)]
    claimed = [claimed_by(log) for log in workers]
    for run_id in runs:
        assert sum(run_id in ids for ids in claimed) == 1, run_id
    store = open_store(pg_schema_url, migrate=False)
    try:
        with store.unit(read_only=True) as conn:
            recorded = set(conn.execute(sa.select(stage_runs.c.stage)).scalars())
    finally:
        store.dispose()
    assert {"deployment", "validation", "operations"} <= recorded  # assessment found no store
    assert {"health-check", "failover-sweep"} <= recorded
