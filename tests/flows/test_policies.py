"""Every task's retry policy as declared, and which failures it retries."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from prefect.states import Failed
from prefect.tasks import Task

import tasks
from swarmops.errors import CheckFailed, ConfigError, StoreError, VersionConflict
from tasks.policy import transient

NO_TIMEOUT = None
PROBE_TIMEOUT = 120.0
TASKS: dict[str, float | None] = {
    "probe-round": PROBE_TIMEOUT,
    "slo-probes": PROBE_TIMEOUT,
    "smoke": PROBE_TIMEOUT,
    "uptime": NO_TIMEOUT,
    "compliance-scan": NO_TIMEOUT,
    "compliance-delta": NO_TIMEOUT,
    "record-compliance-run": NO_TIMEOUT,
    "progress-rollup": NO_TIMEOUT,
    "contract-alerts": NO_TIMEOUT,
    "data-suites": NO_TIMEOUT,
    "verify-agents": NO_TIMEOUT,
    "publish-metrics": NO_TIMEOUT,
    "assign-work": NO_TIMEOUT,
    "failover-sweep": NO_TIMEOUT,
    "load-desired": NO_TIMEOUT,
    "store-state": NO_TIMEOUT,
    "gap-analysis": NO_TIMEOUT,
    "plan-resources": NO_TIMEOUT,
    "apply-desired": NO_TIMEOUT,
    "record-stage-run": NO_TIMEOUT,
    "publish-outbox": NO_TIMEOUT,
    "create-backup": NO_TIMEOUT,
    "verify-backup": NO_TIMEOUT,
    "prune-backups": NO_TIMEOUT,
    "backup-freshness": NO_TIMEOUT,
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
def test_each_task_retries_with_backoff_and_jitter_and_carries_no_tag(name: str) -> None:
    declared = all_tasks()[name]
    assert declared.retries == 3
    assert declared.retry_delay_seconds == [1.0, 2.0, 4.0]
    assert declared.retry_jitter_factor == 0.5
    assert declared.retry_condition_fn is transient
    assert declared.tags == set()  # a tag costs a concurrency-slot request per task run
    assert declared.timeout_seconds == TASKS[name]


@pytest.mark.parametrize(
    "error",
    [StoreError("store x: database is locked"), OSError("connection reset"), TimeoutError()],
    ids=repr,
)
def test_a_flicker_is_retried(error: BaseException) -> None:
    assert transient(all_tasks()["probe-round"], None, Failed(data=error))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "error",
    [
        ConfigError("bad file"),
        StoreError("store sqlite:///new.db: no such table: probe_results"),
        CheckFailed("gate failed"),
        VersionConflict("agent-1 is at version 3"),
        KeyError("bug"),
    ],
    ids=repr,
)
def test_what_cannot_heal_is_not_retried(error: BaseException) -> None:
    assert not transient(all_tasks()["probe-round"], None, Failed(data=error))  # type: ignore[arg-type]


def test_task_bodies_are_plain_domain_calls(demo: Any) -> None:
    from tasks.pipeline import analyse_gaps, load_desired, plan_resources

    desired = load_desired.fn(demo.settings())
    assert analyse_gaps.fn(demo.store_url, desired).revision == desired.revision
    assert 0 < plan_resources.fn(demo.store_url, desired).open_contracts <= len(desired.contracts)
