"""Group commit: one writer per process applies the waiting writes in one transaction.

One fsync'd commit per request cannot beat the disk's commit rate, so the writer
thread takes every write request waiting in its queue (up to ``MAX_BATCH``), runs
each in its own savepoint of one unit, commits once and only then answers each.
A request that fails is undone alone (its savepoint) and answered with its error;
the others commit. A request that lost a race the database detected (a version
conflict, a constraint, a serialisation failure) is tried again, up to
``ATTEMPTS`` times, in a later batch. If the commit itself fails, nothing of the
batch was written and every request in it gets that error: no 2xx is ever sent
for a write that is not committed.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from swarmops.errors import SwarmopsError
from swarmops.service.models import Refused
from swarmops.store import Store, Unit
from swarmops.store.retry import RETRIED

T = TypeVar("T")
MAX_BATCH = 256
ATTEMPTS = 8


@dataclass
class _Write:
    work: Callable[[Unit], Any]
    future: Future[Any] = field(default_factory=Future)
    attempts: int = 0


class GroupWriter:
    """The process's one writer thread; ``await writer.submit(work)`` from any event loop."""

    def __init__(self, store: Store, *, on_batch: Callable[[int], None] | None = None) -> None:
        self.store = store
        self._queue: queue.SimpleQueue[_Write | None] = queue.SimpleQueue()
        self._retry: list[_Write] = []
        self._on_batch = on_batch
        self._thread = threading.Thread(target=self._loop, name="swarmops-writer", daemon=True)
        self._thread.start()

    async def submit(self, work: Callable[[Unit], T | Refused]) -> T:
        """Run ``work(unit)`` in the next batch; returns once its batch has committed (a
        ``Refused`` commits what it wrote and raises its error)."""
        write = _Write(work)
        self._queue.put(write)
        return await asyncio.wrap_future(write.future)

    def close(self) -> None:
        """Finish the writes already queued, then stop the thread."""
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        while True:
            batch, stop = self._take()
            if batch:
                self._commit(batch)
            if stop:
                return

    def _take(self) -> tuple[list[_Write], bool]:
        """Block for one write (unless retries wait), then take whatever else is waiting."""
        batch, self._retry = self._retry, []
        item = self._queue.get() if not batch else self._get_nowait()
        while item is not None and len(batch) < MAX_BATCH:
            if item is not _EMPTY:
                batch.append(item)
            if item is _EMPTY or len(batch) >= MAX_BATCH:
                return batch, False
            item = self._get_nowait()
        return batch, item is None

    def _get_nowait(self) -> Any:
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return _EMPTY

    def _commit(self, batch: list[_Write]) -> None:
        answers: list[tuple[_Write, Any, BaseException | None]] = []
        try:
            with self.store.unit() as unit:
                answers = [self._apply(unit, write) for write in batch]
        except BaseException as exc:  # the commit failed: nothing of the batch was written
            for write in batch:
                write.future.set_exception(exc)
            return
        if self._on_batch is not None:
            self._on_batch(len(batch))
        for write, result, error in answers:
            self._answer(write, result, error)

    def _apply(self, unit: Unit, write: _Write) -> tuple[_Write, Any, BaseException | None]:
        try:
            with unit.savepoint() as inner:
                return write, write.work(inner), None
        except SwarmopsError as exc:
            return write, None, exc
        except Exception as exc:  # a bug in one request must not fail the others
            return write, None, exc

    def _answer(self, write: _Write, result: Any, error: BaseException | None) -> None:
        if isinstance(error, RETRIED) and write.attempts + 1 < ATTEMPTS:
            write.attempts += 1
            self._retry.append(write)
        elif error is not None:
            write.future.set_exception(error)
        elif isinstance(result, Refused):  # committed what it wrote, answered with its error
            write.future.set_exception(result.error)
        else:
            write.future.set_result(result)


_EMPTY: Any = object()
