"""deployments/serve.py against a real `prefect server start` on a free loopback port:
every deployment with its schedule, a triggered pipeline with its artifacts and
events, and the one automation the manifest declares. Every wait is bounded."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deployments.local_server import LocalServer, free_port
from tests.flows.demo import Demo, make_demo
from tests.integration.prefect_helpers import (
    STAGES,
    api,
    clean_env,
    metrics_page,
    pause,
    request,
    stage_events,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
SCHEDULED = {
    "health-check/every-minute": ["* * * * *"],
    "failover-sweep/every-minute": ["* * * * *"],
    "assign-work/every-5-minutes": ["*/5 * * * *"],
    "progress-rollup/every-15-minutes": ["*/15 * * * *"],
    "compliance-scan/hourly": ["0 * * * *"],
}
ON_DEMAND = [
    f"{flow}/on-demand"
    for flow in ("assessment", "apply-desired-state", "validation", "operations", "pipeline")
]
TRIGGER = "swarmops-rebalance-on-stalled-work"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    with LocalServer(tmp_path_factory.mktemp("prefect-server")) as running:
        yield running


@pytest.fixture
def served(server: LocalServer, tmp_path: Path) -> Iterator[Demo]:
    """deployments/serve.py running against ``server`` with a demo swarm."""
    demo = make_demo(tmp_path)
    env = {**clean_env(), **server.environ(), "SWARMOPS_CONFIG": str(demo.config)}
    env["SWARMOPS_STORE_URL"] = demo.store_url
    with (tmp_path / "serve.log").open("wb") as log:  # from another folder: the package serves
        process = subprocess.Popen(
            [sys.executable, "-m", "deployments.serve"],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield demo
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def deployments_by_name(server: LocalServer) -> dict[str, Any] | None:
    """Every deployment by its full name, ``flow/deployment``, once all are registered
    (deployments are read after flows, so one whose flow is newer waits for the next look)."""
    flows = {f["id"]: f["name"] for f in api(server, "/flows/filter")}
    found = {
        f"{flows.get(d['flow_id'])}/{d['name']}": d for d in api(server, "/deployments/filter")
    }
    return found if {*SCHEDULED, *ON_DEMAND} <= found.keys() else None


def finished(server: LocalServer, run_id: str) -> dict[str, Any] | None:
    run = request("GET", f"{server.api_url}/flow_runs/{run_id}").json()
    return run if run["state_type"] in FINAL else None


@pytest.mark.heavy
def test_serve_registers_every_schedule_and_runs_the_pipeline(
    server: LocalServer, served: Demo, tmp_path: Path
) -> None:
    found = wait_for(lambda: deployments_by_name(server), 240, "every deployment")
    for name in ON_DEMAND:
        assert found[name]["schedules"] == []
    for name, crons in SCHEDULED.items():
        assert [s["schedule"]["cron"] for s in found[name]["schedules"]] == crons
        pause(server, found[name]["id"])  # the pipeline run below gets the machine to itself
    run = api(server, f"/deployments/{found['pipeline/on-demand']['id']}/create_flow_run")
    done = wait_for(lambda: finished(server, run["id"]), 480, "the pipeline run")
    assert done["state_type"] == "COMPLETED", done["state"]
    assert done["name"].startswith("pipeline 20")
    keys = [f"swarmops-{stage}-report" for stage in STAGES] + ["swarmops-pipeline-summary"]
    artifacts = api(server, "/artifacts/filter", {"artifacts": {"key": {"any_": keys}}})
    assert {a["key"] for a in artifacts} == set(keys)
    wanted = {f"swarmops.stage.{stage}" for stage in STAGES}
    wait_for(lambda: stage_events(server) >= wanted, 60, "the stage events")
    assert "ERROR" not in (tmp_path / "serve.log").read_text(encoding="utf-8")


@pytest.mark.heavy
def test_the_declared_trigger_is_one_automation_on_the_server(
    server: LocalServer, served: Demo
) -> None:
    wait_for(lambda: deployments_by_name(server), 240, "every deployment")
    stored = [a for a in api(server, "/automations/filter") if a["name"] == TRIGGER]
    assert len(stored) == 1
    assert stored[0]["trigger"]["expect"] == ["swarmops.contract.stalled"]


def swarmops_serve(server: LocalServer, tmp_path: Path, *flags: str) -> subprocess.Popen[bytes]:
    """``swarmops serve FLAGS`` on a demo swarm against ``server``, in a session of its own."""
    demo = make_demo(tmp_path)
    command = [str(Path(sys.executable).with_name("swarmops")), "--config", str(demo.config)]
    command += ["--store-url", demo.store_url, "serve", *flags]
    return subprocess.Popen(
        command,
        cwd=tmp_path,
        env={**clean_env(), "PREFECT_API_URL": server.api_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.mark.heavy
def test_swarmops_serve_exposes_metrics_and_the_gateway_and_stops_cleanly(
    server: LocalServer, tmp_path: Path
) -> None:
    port, gateway = free_port(), free_port()
    process = swarmops_serve(
        server, tmp_path, "--metrics-port", str(port), "--gateway", str(gateway)
    )
    try:
        scrape = f"http://127.0.0.1:{port}/metrics"
        page = wait_for(lambda: metrics_page(scrape), 120, "/metrics")
        assert "swarmops_agents" in page
        ready = request("GET", f"http://127.0.0.1:{gateway}/readyz")
        assert ready.status_code == 200, ready.text
        wait_for(lambda: deployments_by_name(server), 120, "every deployment")
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    text = output.decode()
    assert "ERROR" not in text and "Traceback" not in text, text
    assert process.returncode == 130 and text.splitlines()[-1] == "swarmops: interrupted"
    assert f"swarmops serve: metrics on http://127.0.0.1:{port}/metrics" in text
    assert f"swarmops serve: gateway on http://127.0.0.1:{gateway}" in text
    assert f"deployments on the Prefect API {server.api_url}" in text


@pytest.mark.heavy
def test_prefect_deploy_registers_the_manifest_on_the_process_pool(server: LocalServer) -> None:
    prefect = str(Path(sys.executable).with_name("prefect"))
    env = {**clean_env(), **server.environ(), "SWARMOPS_REPOSITORY": str(ROOT)}
    pool = [prefect, "work-pool", "create", "swarmops-process", "--type", "process", "--overwrite"]
    subprocess.run(pool, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    deployed = subprocess.run(
        [prefect, "--no-prompt", "deploy", "--all"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    found = wait_for(lambda: deployments_by_name(server), 60, "every deployment")
    assert {d["work_pool_name"] for d in found.values()} == {"swarmops-process"}
    for name, crons in SCHEDULED.items():
        assert [s["schedule"]["cron"] for s in found[name]["schedules"]] == crons
        assert {s["schedule"]["timezone"] for s in found[name]["schedules"]} == {"UTC"}
        assert found[name]["global_concurrency_limit"]["limit"] == 1
        assert found[name]["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"
    clone = found["pipeline/on-demand"]["pull_steps"][0]["prefect.deployments.steps.git_clone"]
    assert clone["repository"] == str(ROOT) and len(clone["commit_sha"]) == 40
    assert "SWARMOPS_STORE_URL" not in str(found["pipeline/on-demand"]["job_variables"])
