"""Every task's retry policy and every deployment's schedule, as declared."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
from typing import Any

import pytest
from prefect import Flow
from prefect.client.schemas.schedules import CronSchedule
from prefect.flows import load_flow_from_entrypoint
from prefect.server.schemas.schedules import CronSchedule as ServerCron
from prefect.states import Failed
from prefect.tasks import Task

import tasks
from deployments import serve
from deployments.automations import rebalance_on_stall
from swarmops.errors import ConfigError, StoreError
from tasks.policy import transient

NO_TIMEOUT = None
TASKS: dict[str, tuple[set[str], float | None]] = {
    "probe-round": ({"probe"}, 120.0),
    "slo-probes": ({"probe"}, 120.0),
    "smoke": ({"probe"}, 120.0),
    "uptime": ({"store"}, NO_TIMEOUT),
    "compliance-scan": ({"scan"}, NO_TIMEOUT),
    "compliance-delta": ({"scan"}, NO_TIMEOUT),
    "record-compliance-run": ({"store"}, NO_TIMEOUT),
    "progress-rollup": ({"store"}, NO_TIMEOUT),
    "contract-alerts": ({"store"}, NO_TIMEOUT),
    "data-suites": ({"store", "validation"}, NO_TIMEOUT),
    "verify-agents": ({"store"}, NO_TIMEOUT),
    "publish-metrics": ({"metrics"}, NO_TIMEOUT),
    "assign-work": ({"store", "assignment"}, NO_TIMEOUT),
    "failover-sweep": ({"store", "assignment"}, NO_TIMEOUT),
    "load-desired": ({"config"}, NO_TIMEOUT),
    "gap-analysis": ({"store"}, NO_TIMEOUT),
    "plan-resources": ({"store"}, NO_TIMEOUT),
    "apply-desired": ({"store", "deployment"}, NO_TIMEOUT),
    "record-stage-run": ({"store"}, NO_TIMEOUT),
    "notify": ({"network", "notify"}, NO_TIMEOUT),
}
SCHEDULES = {
    "health-check": ["* * * * *"],
    "failover-sweep": ["* * * * *"],
    "assign-work": ["*/5 * * * *"],
    "progress-rollup": ["*/15 * * * *"],
    "compliance-scan": ["0 * * * *"],
    "assessment": [],
    "deployment": [],
    "validation": [],
    "operations": [],
    "pipeline": [],
}


def all_tasks() -> dict[str, Task[..., Any]]:
    found: dict[str, Task[..., Any]] = {}
    for module in pkgutil.iter_modules(tasks.__path__):
        loaded = importlib.import_module(f"tasks.{module.name}")
        found |= {v.name: v for v in vars(loaded).values() if isinstance(v, Task)}
    return found


def test_every_task_is_declared_here() -> None:
    assert set(all_tasks()) == set(TASKS)


@pytest.mark.parametrize("name", sorted(TASKS))
def test_each_task_retries_with_backoff_and_jitter(name: str) -> None:
    declared = all_tasks()[name]
    tags, timeout = TASKS[name]
    assert declared.retries == 3
    assert declared.retry_delay_seconds == [1.0, 2.0, 4.0]
    assert declared.retry_jitter_factor == 0.5
    assert declared.retry_condition_fn is transient
    assert declared.tags == {"swarmops", *tags}
    assert declared.timeout_seconds == timeout


def test_bad_input_is_not_retried_but_a_flicker_is() -> None:
    task = all_tasks()["probe-round"]
    assert transient(task, None, Failed(data=StoreError("database is locked")))  # type: ignore[arg-type]
    assert transient(task, None, Failed(data=OSError("connection reset")))  # type: ignore[arg-type]
    assert not transient(task, None, Failed(data=ConfigError("bad file")))  # type: ignore[arg-type]


def test_the_manifest_declares_every_schedule() -> None:
    manifest = serve.load_manifest()
    assert {entry["name"]: serve.crons(entry) for entry in manifest} == SCHEDULES
    assert {entry["work_pool"]["name"] for entry in manifest} == {"swarmops-process"}


@pytest.mark.parametrize("entry", serve.load_manifest(), ids=lambda entry: entry["name"])
def test_each_entrypoint_resolves_to_its_flow_and_parameters_validate(entry: dict) -> None:
    flow = load_flow_from_entrypoint(str(serve.ROOT / entry["entrypoint"]))
    assert isinstance(flow, Flow)
    assert flow.name == entry["name"]
    flow.validate_parameters(entry["parameters"])


@pytest.mark.parametrize("cron", sorted({c for crons in SCHEDULES.values() for c in crons}))
def test_each_schedule_parses(cron: str) -> None:
    schedule = CronSchedule(cron=cron, timezone="UTC")
    assert schedule.cron == cron
    dates = asyncio.run(ServerCron(cron=cron, timezone="UTC").get_dates(n=3))
    assert len(dates) == 3 and dates[0] < dates[1] < dates[2]


def test_serve_builds_the_same_deployments_with_the_same_schedules() -> None:
    built = {d.name: d for d in serve.runner_deployments(serve.load_manifest())}
    assert set(built) == set(SCHEDULES)
    for name, crons in SCHEDULES.items():
        assert [s.schedule.cron for s in built[name].schedules] == crons


def test_the_example_automation_runs_assign_work_on_stalled_contracts() -> None:
    from uuid import uuid4

    automation = rebalance_on_stall(uuid4())
    assert automation.trigger.expect == {"swarmops.contract.stalled"}  # type: ignore[union-attr]
    assert automation.actions[0].type == "run-deployment"


def test_task_bodies_are_plain_domain_calls(demo: Any) -> None:
    from swarmops.store import open_store
    from tasks.pipeline import analyse_gaps, load_desired, plan_resources

    desired = load_desired.fn(demo.settings())
    store = open_store(demo.store_url, migrate=False)
    try:
        assert analyse_gaps.fn(store, desired).revision == desired.revision
        assert 0 < plan_resources.fn(store, desired).open_contracts <= len(desired.contracts)
    finally:
        store.dispose()
