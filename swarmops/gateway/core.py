"""The gateway's process state: the store, the service context, the writer, the waiters.

Nothing another replica needs lives here: every fact is in the store, and the
waiters only decide when to look at it again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from swarmops.gateway.metrics import GatewayMetrics
from swarmops.gateway.waiters import Waiters
from swarmops.gateway.writer import GroupWriter
from swarmops.service import Services
from swarmops.service.models import Refused
from swarmops.store import Store, Unit
from swarmops.store.listen import INBOX_CHANNEL, Listener, start_listener
from swarmops.tokens import Bearer, Principal

T = TypeVar("T")
RECHECK_S = 1.0  # SQLite: a write by another process is seen within this bound
RECHECK_LISTENING_S = 10.0  # PostgreSQL: NOTIFY wakes; this only covers a lost connection


class Gateway:
    """What every request handler and tool reaches through ``app.state.gateway``."""

    def __init__(self, store: Store, services: Services) -> None:
        self.store = store
        self.metrics = GatewayMetrics()
        observe = self.metrics.swarm.observe_transition
        self.services = Services(**{**services.__dict__, "observe_transition": observe})
        self.writer = GroupWriter(store)
        self.waiters = Waiters()
        self.listener: Listener | None = None

    @property
    def recheck_s(self) -> float:
        return RECHECK_S if self.listener is None else RECHECK_LISTENING_S

    def start(self) -> None:
        """Bind the waiters to the running loop and listen for other replicas' sends."""
        self.waiters.bind(asyncio.get_running_loop())
        self.listener = start_listener(self.store, INBOX_CHANNEL, self.waiters.wake_threadsafe)

    def close(self) -> None:
        """Stop listening, finish the queued writes, release the store's connections."""
        if self.listener is not None:
            self.listener.stop()
        self.writer.close()
        self.store.dispose()

    async def write(self, bearer: Bearer, work: Callable[..., T | Refused]) -> T:
        """``work(unit, caller=…)`` as the token's principal, group-committed: the token
        is checked in the batch's unit, and this returns only after that batch commits."""
        return await self.writer.submit(partial(_as_caller, bearer, work))

    async def read(self, bearer: Bearer, work: Callable[..., T]) -> T:
        """``work(unit, caller=…)`` on a read-only unit of its own, off the event loop."""
        return await run_in_threadpool(self._read, partial(_as_caller, bearer, work))

    async def principal(self, bearer: Bearer) -> Principal:
        """Who the token acts as, for the calls that touch nothing else in the store."""
        return await run_in_threadpool(self._read, bearer.principal)

    def _read(self, work: Callable[[Unit], Any]) -> Any:
        with self.store.unit(read_only=True) as unit:
            return work(unit)


def _as_caller(bearer: Bearer, work: Callable[..., T], unit: Unit) -> T:
    return work(unit, caller=bearer.principal(unit))
