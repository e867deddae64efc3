"""Driver errors into the swarmops tree: the one place that reads SQLSTATEs and SQLite codes.

Every statement a unit of work runs, and its commit, passes through here, so a
caller sees a ``ConstraintViolation``, ``TransactionConflict``, ``StoreBusy``,
``StoreFull``, ``StoreUnavailable``, ``StoreCorrupt`` or ``ValueRejected`` with
one line naming the store, never a SQLAlchemy or driver exception.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa

from swarmops.errors import (
    ConstraintViolation,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreUnavailable,
    SwarmopsError,
    TransactionConflict,
    ValueRejected,
    first_line,
)

# PostgreSQL SQLSTATE (class prefix or full code) -> branch of the tree
_PG_CODES: tuple[tuple[str, type[SwarmopsError]], ...] = (
    ("23", ConstraintViolation),
    ("40001", TransactionConflict),
    ("40P01", TransactionConflict),
    ("53100", StoreFull),
    ("53", StoreBusy),  # insufficient resources other than disk: out of connections, memory
    ("55P03", StoreBusy),
    ("57014", StoreBusy),  # statement or lock timeout
    ("08", StoreUnavailable),
    ("57P", StoreUnavailable),  # server shutting down or not yet up
    ("22", ValueRejected),
)
# SQLite primary result codes
_SQLITE_CODES: dict[int, type[SwarmopsError]] = {
    sqlite3.SQLITE_CONSTRAINT: ConstraintViolation,
    sqlite3.SQLITE_BUSY: StoreBusy,
    sqlite3.SQLITE_LOCKED: StoreBusy,
    sqlite3.SQLITE_FULL: StoreFull,
    sqlite3.SQLITE_CORRUPT: StoreCorrupt,
    sqlite3.SQLITE_NOTADB: StoreCorrupt,
    sqlite3.SQLITE_CANTOPEN: StoreUnavailable,
    sqlite3.SQLITE_TOOBIG: ValueRejected,
    sqlite3.SQLITE_MISMATCH: ValueRejected,
}


def translate(exc: BaseException, url: str) -> SwarmopsError:
    """The swarmops error for a driver or SQLAlchemy failure on the store at ``url``."""
    driver = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
    kind = _kind(exc, driver)
    return kind(f"store {url}: {first_line(driver or exc)}")


def _kind(exc: BaseException, driver: BaseException | None) -> type[SwarmopsError]:
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return StoreUnavailable
    sqlstate = getattr(driver, "sqlstate", None)
    if isinstance(sqlstate, str):
        return next((kind for code, kind in _PG_CODES if sqlstate.startswith(code)), StoreError)
    code = getattr(driver, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _SQLITE_CODES.get(code & 0xFF, StoreError)
    if isinstance(exc, sa.exc.IntegrityError):
        return ConstraintViolation
    if isinstance(exc, sa.exc.OperationalError) and _is_postgres(driver):
        return StoreUnavailable  # psycopg gives no SQLSTATE when it cannot connect at all
    return StoreError


def _is_postgres(driver: BaseException | None) -> bool:
    return type(driver).__module__.split(".")[0] == "psycopg"
