"""The engine factory: one place that knows each database's connection policy.

SQLite runs in WAL mode with ``synchronous=FULL``, a busy timeout and foreign
keys on; write transactions start with ``BEGIN IMMEDIATE`` so two writers never
deadlock upgrading a read lock, while reads stay ``DEFERRED``. Only an engine made
to ``create`` may make the file (and its folder); any other opens an existing file
read-write (``mode=rw``), so nothing that merely looks at a store brings one about.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from swarmops.errors import ConfigError, NoStore

BUSY_TIMEOUT_S = 30
READ_OPTION = "swarmops_read"


def create_engine(url: str, *, create: bool = False, **engine_kwargs: Any) -> Engine:
    """An engine for a SQLite or PostgreSQL URL, with swarmops' policy applied; a SQLite
    file that does not exist is ``NoStore`` unless ``create``."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as exc:
        raise ConfigError(f"store_url: not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, create, **engine_kwargs)
    if parsed.get_backend_name() == "postgresql":
        return sa.create_engine(parsed, pool_pre_ping=True, **engine_kwargs)
    raise ConfigError(f"store_url: unsupported database {parsed.get_backend_name()!r}")


def no_store(url: str, why: str = "") -> NoStore:
    """The one refusal of every command but ``init`` when there is no store at ``url``."""
    return NoStore(f"no store at {url}{f' ({why})' if why else ''}, run swarmops init")


def _sqlite_engine(url: URL, create: bool, **engine_kwargs: Any) -> Engine:
    path = Path(url.database) if url.database and url.database != ":memory:" else None
    if path is not None and create:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif path is not None:
        _require_file(url, path)
        engine_kwargs.setdefault("creator", lambda: _connect_existing(path))
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S}, **engine_kwargs)
    sa.event.listen(engine, "connect", _sqlite_on_connect)
    sa.event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _require_file(url: URL, path: Path) -> None:
    """A file with something in it: connecting to an empty one would write its header."""
    why = None
    if not path.exists():
        why = "no such file"
    elif not path.is_file():
        why = "not a file"
    elif path.stat().st_size == 0:
        why = "an empty file"
    if why is not None:
        raise no_store(url.render_as_string(hide_password=True), why)


def _connect_existing(path: Path) -> sqlite3.Connection:
    """A connection that fails, rather than creating an empty database, if the file is gone."""
    uri = f"{path.resolve().as_uri()}?mode=rw"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)


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
