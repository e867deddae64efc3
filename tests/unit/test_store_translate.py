"""Driver errors become the swarmops error of their kind, one line naming the store."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
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
)
from swarmops.store.translate import translate

URL = "postgresql+psycopg://swarm@db/swarm"


def sqlite_error(kind: type[sqlite3.Error], code: int, text: str) -> sqlite3.Error:
    error = kind(text)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    ("driver", "expected"),
    [
        (psycopg.errors.UniqueViolation("duplicate key value"), ConstraintViolation),
        (psycopg.errors.ForeignKeyViolation("violates foreign key"), ConstraintViolation),
        (psycopg.errors.SerializationFailure("could not serialize"), TransactionConflict),
        (psycopg.errors.DeadlockDetected("deadlock detected"), TransactionConflict),
        (psycopg.errors.DiskFull("could not extend file"), StoreFull),
        (psycopg.errors.TooManyConnections("too many clients"), StoreBusy),
        (psycopg.errors.LockNotAvailable("could not obtain lock"), StoreBusy),
        (psycopg.errors.AdminShutdown("terminating connection"), StoreUnavailable),
        (psycopg.errors.StringDataRightTruncation("value too long"), ValueRejected),
        (psycopg.OperationalError("connection refused"), StoreUnavailable),
        (sqlite_error(sqlite3.OperationalError, 5, "database is locked"), StoreBusy),
        (sqlite_error(sqlite3.OperationalError, 13, "database or disk is full"), StoreFull),
        (sqlite_error(sqlite3.DatabaseError, 26, "file is not a database"), StoreCorrupt),
        (sqlite_error(sqlite3.DatabaseError, 11, "disk image is malformed"), StoreCorrupt),
        (
            sqlite_error(sqlite3.IntegrityError, 2067, "UNIQUE constraint failed"),
            ConstraintViolation,
        ),
        (sqlite_error(sqlite3.OperationalError, 1, "no such table: x"), StoreError),
    ],
)
def test_each_driver_error_has_its_branch(driver: Exception, expected: type[SwarmopsError]) -> None:
    base = sqlite3.Error if isinstance(driver, sqlite3.Error) else psycopg.Error
    wrapped = sa.exc.DBAPIError.instance("SELECT 1", {}, driver, base)  # as SQLAlchemy wraps it
    translated = translate(wrapped, URL)
    assert type(translated) is expected
    assert translated.message.startswith(f"store {URL}: ") and "\n" not in translated.message
    assert translated.exit_code == (2 if expected is ValueRejected else 1)
