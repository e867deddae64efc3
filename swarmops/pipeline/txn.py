"""One transaction around many capability calls, so a stage commits all or nothing.

Capability functions take a ``Store`` and open their own transactions. A
``BoundStore`` hands them the caller's open connection instead, each of their
transactions becoming a savepoint inside it: their commit is provisional, and a
failure anywhere later rolls every one of them back with the outer transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from swarmops.store import Store

UNIT_LOCK = 0x5357_4F50  # "SWOP": the advisory lock key of deployment units


class BoundStore(Store):
    """A Store whose reads and writes all join one already-open transaction."""

    def __init__(self, store: Store, connection: sa.Connection) -> None:
        super().__init__(store.engine, store.clock)
        self.connection = connection

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A savepoint on the shared connection: released on success, rolled back on error."""
        with self.connection.begin_nested():
            yield self.connection

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """Reads see the shared transaction's own uncommitted writes."""
        with self.connection.begin_nested():
            yield self.connection

    def dispose(self) -> None:
        """The engine belongs to the outer store; it outlives this binding."""


@contextmanager
def one_transaction(store: Store) -> Iterator[BoundStore]:
    """Run a unit of work in one write transaction of ``store``; any error undoes all of it.

    Units are serialised: SQLite's write transaction is already exclusive, and on
    PostgreSQL a transaction-scoped advisory lock makes a second deployment wait
    for the first instead of colliding with it row by row.
    """
    with store.write() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": UNIT_LOCK})
        yield BoundStore(store, connection)
