"""The Store: an engine, a clock and the transaction policy, passed to domain code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from swarmops.clock import Clock, SystemClock
from swarmops.errors import StoreError, first_line
from swarmops.store.engine import READ_OPTION, create_engine


class Store:
    """Where swarmops keeps its state; domain functions take one explicitly."""

    def __init__(self, engine: Engine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock: Clock = clock or SystemClock()

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``: the few places that differ ask this."""
        return self.engine.dialect.name

    @property
    def url(self) -> str:
        """The URL with any password hidden, for messages and reports."""
        return self.engine.url.render_as_string(hide_password=True)

    def now(self) -> datetime:
        return self.clock.now()

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A write transaction: committed on success, rolled back on any error."""
        with _translated(self), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A read-only transaction that never takes SQLite's write lock."""
        with _translated(self), self.engine.connect() as connection:
            connection = connection.execution_options(**{READ_OPTION: True})
            with connection.begin():
                yield connection

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _translated(store: Store) -> Iterator[None]:
    """Turn driver failures into StoreError; swarmops' own errors pass through."""
    try:
        yield
    except sa.exc.OperationalError as exc:
        raise StoreError(f"store {store.url}: {first_line(exc.orig or exc)}") from exc


def open_store(url: str, clock: Clock | None = None, *, migrate: bool = True) -> Store:
    """Open the store at ``url``, creating or migrating it on first use."""
    store = Store(create_engine(url), clock)
    if migrate:
        from swarmops.store.migrate import ensure_schema

        try:
            ensure_schema(store)
        except BaseException:
            store.dispose()
            raise
    return store
