"""The Store: an engine, a clock and the transaction policy; ``unit()`` opens a unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from swarmops.clock import Clock, SystemClock
from swarmops.store.engine import READ_OPTION, create_engine
from swarmops.store.translate import translate
from swarmops.store.unit import Observer, Unit


class Store:
    """Where swarmops keeps its state. Domain functions take a ``Unit`` of it, never the store.

    ``observer``, when a long-running process sets one, is told how long the work in
    its units took (the transition latency histogram of ``/metrics``).
    """

    def __init__(self, engine: Engine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self.observer: Observer | None = None
        # The URL with any password hidden, for messages and reports (rendered once: every
        # unit carries it for its error lines).
        self.url: str = engine.url.render_as_string(hide_password=True)

    def now(self) -> datetime:
        return self.clock.now()

    @contextmanager
    def unit(self, *, read_only: bool = False) -> Iterator[Unit]:
        """One transaction: committed when the block ends, rolled back on any error.

        ``read_only`` never takes SQLite's write lock (``BEGIN DEFERRED``) and is for
        reads that need no lock against writers.
        """
        try:
            with self.engine.connect() as connection:
                if read_only:
                    connection = connection.execution_options(**{READ_OPTION: True})
                with connection.begin():
                    yield Unit(connection, self.clock, self.url, self.observer)
        except sa.exc.DBAPIError as exc:
            raise translate(exc, self.url) from exc

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(
    url: str,
    clock: Clock | None = None,
    *,
    migrate: bool = True,
    create: bool = False,
    **engine_kwargs: Any,
) -> Store:
    """Open the store at ``url`` and, with ``migrate``, bring an older schema to the head.

    Only ``create`` (``swarmops init``, the pipeline's deployment stage, scratch copies,
    tests) makes a store where there is none: otherwise a missing SQLite file, or a
    database without the schema, is ``NoStore``, and opening creates nothing.
    """
    from swarmops.store.migrate import HEAD, ensure_schema, existing_revision

    store = Store(create_engine(url, create=create, **engine_kwargs), clock)
    try:
        revision = None if create else existing_revision(store)
        if migrate and revision != HEAD:
            ensure_schema(store)
    except BaseException:
        store.dispose()
        raise
    return store
