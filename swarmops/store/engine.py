"""The engine factory: one place that knows each database's connection policy.

SQLite runs in WAL mode with ``synchronous=FULL``, a busy timeout and foreign
keys on; write transactions start with ``BEGIN IMMEDIATE`` so two writers never
deadlock upgrading a read lock, while reads stay ``DEFERRED``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from swarmops.errors import ConfigError

BUSY_TIMEOUT_S = 30
READ_OPTION = "swarmops_read"


def create_engine(url: str, **engine_kwargs: Any) -> Engine:
    """An engine for a SQLite or PostgreSQL URL, with swarmops' policy applied."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as exc:
        raise ConfigError(f"store_url: not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, **engine_kwargs)
    if parsed.get_backend_name() == "postgresql":
        return sa.create_engine(parsed, pool_pre_ping=True, **engine_kwargs)
    raise ConfigError(f"store_url: unsupported database {parsed.get_backend_name()!r}")


def _sqlite_engine(url: URL, **engine_kwargs: Any) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S}, **engine_kwargs)
    sa.event.listen(engine, "connect", _sqlite_on_connect)
    sa.event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN, instead of pysqlite's implicit one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        f"busy_timeout={BUSY_TIMEOUT_S * 1000}",
        "foreign_keys=ON",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_on_begin(connection: sa.Connection) -> None:
    mode = "DEFERRED" if connection.get_execution_options().get(READ_OPTION) else "IMMEDIATE"
    # Straight to the driver: SQLAlchemy's execute path costs more than the BEGIN itself.
    driver = connection.connection.driver_connection
    assert driver is not None  # a begun connection always has its DBAPI connection
    driver.execute(f"BEGIN {mode}")
