"""Orchestration policy shared by the task decorators, in one place.

Anything that touches the store, a file system or the network may flicker, so it
is retried with exponential backoff (1 s, 2 s, 4 s) and jitter that spreads
retries of parallel runs apart; bad input is never retried because it cannot heal.
Probes get a timeout (they run in the flow's own thread, where Prefect can enforce
it); scans do not, since they may run beside other work in a worker thread.
Nothing is cached: every task has effects or reads live state.
"""

from __future__ import annotations

from typing import Any

from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import TaskRun
from prefect.states import State
from prefect.tasks import Task, exponential_backoff

from swarmops.errors import SwarmopsError

RETRIES = 3
BACKOFF_FACTOR = 1.0
JITTER_FACTOR = 0.5
PROBE_TIMEOUT_S = 120.0
TAG = "swarmops"


def transient(task: Task[..., Any], task_run: TaskRun, state: State[Any]) -> bool:
    """Retry unless the failure is bad input (exit code 2), which a retry repeats."""
    error = state.data
    return not (isinstance(error, SwarmopsError) and error.exit_code == 2)


def io_policy(*tags: str, timeout_s: float | None = None) -> dict[str, Any]:
    """Decorator keywords for a task doing I/O; ``tags`` name its concurrency limits."""
    return {
        "retries": RETRIES,
        "retry_delay_seconds": exponential_backoff(backoff_factor=BACKOFF_FACTOR),
        "retry_jitter_factor": JITTER_FACTOR,
        "retry_condition_fn": transient,
        "timeout_seconds": timeout_s,
        "cache_policy": NO_CACHE,
        "tags": [TAG, *tags],
    }


def pure_policy(*tags: str) -> dict[str, Any]:
    """Decorator keywords for a task that only computes: no retries (it would fail again)."""
    return {"cache_policy": NO_CACHE, "tags": [TAG, *tags]}
