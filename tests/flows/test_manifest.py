"""prefect.yaml as both paths read it: `prefect deploy` and `swarmops serve` build the
same deployments (names, schedules with their timezone, concurrency limits with their
collision strategy, triggers), triggers re-applied leave one automation, and deploy
refuses a missing or empty repository before registering anything."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from prefect.cli.deploy._schedules import _schedule_config_to_deployment_schedule
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import ConcurrencyLimitStrategy
from prefect.flows import load_flow_from_entrypoint
from prefect.server.schemas.schedules import CronSchedule as ServerCron
from prefect.settings import PREFECT_API_URL

from deployments import preflight, serve
from swarmops.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = {
    "health-check/every-minute": ["* * * * *"],
    "failover-sweep/every-minute": ["* * * * *"],
    "assign-work/every-5-minutes": ["*/5 * * * *"],
    "progress-rollup/every-15-minutes": ["*/15 * * * *"],
    "compliance-scan/hourly": ["0 * * * *"],
    "backup/hourly": ["30 * * * *"],
    "assessment/on-demand": [],
    "apply-desired-state/on-demand": [],
    "validation/on-demand": [],
    "operations/on-demand": [],
    "pipeline/on-demand": [],
}
MANIFEST = serve.load_manifest()
TRIGGER = "swarmops-rebalance-on-stalled-work"


def full_name(entry: dict[str, Any]) -> str:
    return f"{serve.load_flow(entry['entrypoint']).name}/{entry['name']}"


def test_the_manifest_names_what_runs_when() -> None:
    assert {full_name(entry): serve.crons(entry) for entry in MANIFEST} == SCHEDULES
    assert {entry["work_pool"]["name"] for entry in MANIFEST} == {"swarmops-process"}
    assert all(len(entry["description"]) > 60 for entry in MANIFEST)


def test_the_packaged_manifest_is_the_one_prefect_deploy_reads() -> None:
    assert serve.MANIFEST.read_text() == (ROOT / "prefect.yaml").read_text()


@pytest.mark.parametrize("entry", MANIFEST, ids=full_name)
def test_each_entrypoint_resolves_by_file_and_by_module(entry: dict[str, Any]) -> None:
    by_file = load_flow_from_entrypoint(str(ROOT / entry["entrypoint"]))
    by_module = serve.load_flow(entry["entrypoint"])
    assert by_file.name == by_module.name
    by_module.validate_parameters(entry["parameters"])


@pytest.mark.parametrize("entry", [e for e in MANIFEST if e.get("schedules")], ids=full_name)
def test_served_schedules_equal_deployed_ones_field_by_field(entry: dict[str, Any]) -> None:
    deployed = [_schedule_config_to_deployment_schedule(s)["schedule"] for s in entry["schedules"]]
    served = [s.schedule for s in serve.runner_deployment(entry).schedules]
    assert [s.model_dump() for s in served] == [d.model_dump() for d in deployed]
    assert all(s.timezone == "UTC" for s in served)
    dates = asyncio.run(ServerCron(**served[0].model_dump()).get_dates(n=3))
    assert dates[0] < dates[1] < dates[2]


@pytest.mark.parametrize("entry", [e for e in MANIFEST if e.get("schedules")], ids=full_name)
def test_scheduled_runs_never_overlap(entry: dict[str, Any]) -> None:
    built = serve.runner_deployment(entry)
    assert built.concurrency_limit == 1
    assert built.concurrency_options.collision_strategy == ConcurrencyLimitStrategy.CANCEL_NEW


def test_triggers_applied_twice_leave_one_automation() -> None:
    (entry,) = [e for e in MANIFEST if e.get("triggers")]
    for _ in range(2):
        serve.runner_deployment(entry).apply()
    with get_client(sync_client=True) as client:
        found = client.read_automations_by_name(TRIGGER)
    assert len(found) == 1
    assert found[0].trigger.expect == {"swarmops.contract.stalled"}
    assert found[0].trigger.threshold == 3
    assert found[0].actions[0].type == "run-deployment"


@pytest.mark.parametrize("environ", [{}, {"SWARMOPS_REPOSITORY": ""}, {"SWARMOPS_REPOSITORY": " "}])
def test_preflight_refuses_a_missing_or_empty_repository(environ: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match=r"SWARMOPS_REPOSITORY is (not set|empty)"):
        preflight.check_environment(environ)


def test_preflight_pins_the_deploying_checkouts_commit() -> None:
    found = preflight.check_environment({"SWARMOPS_REPOSITORY": str(ROOT)})
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True)
    assert found == {"repository": str(ROOT), "commit": head.stdout.decode().strip()}


@pytest.mark.slow
def test_prefect_deploy_with_an_empty_repository_registers_nothing() -> None:
    from prefect.client.schemas.actions import WorkPoolCreate

    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="swarmops-process", type="process"), True)
    env = {**os.environ, "SWARMOPS_REPOSITORY": "", "PREFECT_API_URL": PREFECT_API_URL.value()}
    prefect = str(Path(sys.executable).with_name("prefect"))
    done = subprocess.run(
        [prefect, "--no-prompt", "deploy", "--all"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "SWARMOPS_REPOSITORY is empty" in done.stdout + done.stderr
    with get_client(sync_client=True) as client:
        names = {d.name for d in client.read_deployments()}
    assert not names & {"every-minute", "on-demand", "hourly"}
