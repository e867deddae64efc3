"""Orchestration policy shared by the task decorators, in one place.

Only a failure that can heal is retried: a lost connection, a locked or busy
database, a timeout, a flickering file system or network. Those are retried with
exponential backoff (1 s, 2 s, 4 s) and jitter that spreads retries of parallel
runs apart. Everything else fails at once: bad input, a failed check, a conflict,
a missing table, a bug; a retry would only repeat it three times over.
Probes get a timeout (they run in the flow's own thread, where Prefect can enforce
it); scans do not, since they may run beside other work in a worker thread.
No task carries tags: a tag costs a concurrency-slot request per task run even when
no limit exists, and overlapping runs are bounded per deployment instead
(prefect.yaml's ``concurrency_limit``). Nothing is cached: every task has effects
or reads live state.
"""

from __future__ import annotations

from typing import Any

import httpx
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import TaskRun
from prefect.states import State
from prefect.tasks import Task, exponential_backoff

from swarmops.errors import StoreError, SwarmopsError

RETRIES = 3
BACKOFF_FACTOR = 1.0
JITTER_FACTOR = 0.5
PROBE_TIMEOUT_S = 120.0
# Words of a driver's message for a failure that passes: SQLite's "database is
# locked" or "disk I/O error", PostgreSQL's lost connections, deadlocks and
# serialisation failures. A missing table or column is none of them.
HEALING = (
    "locked",
    "busy",
    "timeout",
    "timed out",
    "connection",
    "could not connect",
    "server closed",
    "terminating",
    "deadlock",
    "could not serialize",
    "too many clients",
    "disk i/o",
)
FLICKERS = (OSError, TimeoutError, httpx.TransportError)


def heals(error: BaseException) -> bool:
    """Whether ``error`` may pass when the same call is made again."""
    if isinstance(error, StoreError):
        return error.exit_code != 2 and any(w in error.message.lower() for w in HEALING)
    if isinstance(error, SwarmopsError):
        return False
    return isinstance(error, FLICKERS)


def transient(task: Task[..., Any], task_run: TaskRun, state: State[Any]) -> bool:
    """Prefect's retry condition: retry only a failure that may heal."""
    error = state.data
    return isinstance(error, BaseException) and heals(error)


def io_policy(timeout_s: float | None = None) -> dict[str, Any]:
    """Decorator keywords for a task doing I/O: retried when the failure may heal."""
    return {
        "retries": RETRIES,
        "retry_delay_seconds": exponential_backoff(backoff_factor=BACKOFF_FACTOR),
        "retry_jitter_factor": JITTER_FACTOR,
        "retry_condition_fn": transient,
        "timeout_seconds": timeout_s,
        "cache_policy": NO_CACHE,
    }
