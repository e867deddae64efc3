"""The unit of work: one transaction that every write of swarmops runs in.

A ``Unit`` carries the open connection, the store's clock, the named queries of
its database, savepoints for nesting, the advisory locks of serialised work and
the translation of every driver error into ``swarmops.errors``. Domain functions
take a unit; a caller composes several of them by passing the same one, and they
commit or roll back together. ``Store.unit()`` opens one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import IntEnum
from typing import Any, Protocol

import sqlalchemy as sa

from swarmops.clock import Clock
from swarmops.store.codec import CODECS, Codec
from swarmops.store.sql.named import Named
from swarmops.store.translate import translate


class Lock(IntEnum):
    """Advisory locks of work that must never run twice at once (keys spell "SWOP")."""

    APPLY = 0x5357_4F50  # applying a desired set: contract apply, init, the deployment stage
    ASSIGN = 0x5357_4F50_0001  # assignment and failover sweeps
    MIGRATE = 0x5357_4F50_0002  # schema creation and upgrades


_LOCK = sa.text("SELECT pg_advisory_xact_lock(:key)")


class Observer(Protocol):
    """What a long-running process (the gateway, ``serve``) measures of the work it runs;
    ``swarmops.metrics.SwarmMetrics`` is one."""

    def observe_transition(self, seconds: float) -> None: ...


class Unit:
    """One open transaction of a store, handed to every domain function that writes."""

    def __init__(
        self, connection: sa.Connection, clock: Clock, url: str, observer: Observer | None = None
    ) -> None:
        self.connection = connection
        self.clock = clock
        self.url = url
        self.observer = observer
        self.dialect: str = connection.dialect.name
        self.codec: Codec = CODECS[self.dialect]
        self._driver_error: type[Exception] = connection.dialect.loaded_dbapi.Error
        self._savepoints = 0

    def now(self) -> datetime:
        return self.clock.now()

    def execute(self, statement: Any, params: Any = None) -> sa.CursorResult[Any]:
        """Run a Core statement; driver errors arrive as swarmops errors."""
        try:
            return self.connection.execute(statement, params)
        except sa.exc.DBAPIError as exc:
            raise translate(exc, self.url) from exc

    def run(self, named: Named, params: Any = None) -> sa.CursorResult[Any]:
        """Run this database's form of a named statement."""
        return self.execute(named.form(self.dialect), params)

    def scalar(self, statement: Any, params: Any = None) -> Any:
        return self.execute(statement, params).scalar()

    def scalars(self, statement: Any, params: Any = None) -> list[Any]:
        return list(self.execute(statement, params).scalars())

    def raw(self, named: Named, params: tuple[Any, ...]) -> Any:
        """Run a named plain-SQL statement on the driver cursor of this transaction: the
        hot paths, where Core's per-statement Python costs more than the commit."""
        try:
            cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            cursor.execute(named.form(self.dialect), params)
        except self._driver_error as exc:
            raise translate(exc, self.url) from exc
        return cursor

    @contextmanager
    def savepoint(self) -> Iterator[Unit]:
        """A nested unit: undone alone on error, committed only with the outer one. Plain
        SQL on the driver, like ``raw``: the group-commit writer takes one per request."""
        self._savepoints += 1
        name = f"swarmops_{self._savepoints}"
        self._plain(f"SAVEPOINT {name}")
        try:
            yield self
        except BaseException:
            self._plain(f"ROLLBACK TO SAVEPOINT {name}")
            self._plain(f"RELEASE SAVEPOINT {name}")
            raise
        self._plain(f"RELEASE SAVEPOINT {name}")

    def _plain(self, sql: str) -> None:
        try:
            self.connection.connection.driver_connection.execute(sql)  # type: ignore[union-attr]
        except self._driver_error as exc:
            raise translate(exc, self.url) from exc

    def lock(self, lock: Lock) -> None:
        """Hold ``lock`` until this unit ends. SQLite write transactions already exclude
        each other (``BEGIN IMMEDIATE``); PostgreSQL takes a transaction advisory lock."""
        if self.dialect == "postgresql":
            self.execute(_LOCK, {"key": int(lock)})
