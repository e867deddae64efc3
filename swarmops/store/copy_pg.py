"""PostgreSQL copies: ``pg_dump`` in its custom format, restored with ``pg_restore``.

``take`` counts every table in a REPEATABLE READ transaction, exports its snapshot
and has ``pg_dump`` dump exactly that snapshot of the store's schema, so the
manifest's counts are the dump's. ``pg_restore`` cannot rename a schema, so a copy
is restored under its own schema name and renamed to the target's afterwards; a
target schema of the same name is moved aside first and dropped only when the
restore succeeded (put back when it failed). Verification restores into a scratch
database of its own (the copy's schema may exist in the live database: it usually
is the live store), dropped afterwards even on failure.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from swarmops.clock import SystemClock
from swarmops.errors import BadInput
from swarmops.store import pg_tools
from swarmops.store.census import Census, census
from swarmops.store.namespace import search_schema
from swarmops.store.scratch import SCHEMA_PREFIX, with_search_path
from swarmops.store.store import Store, open_store
from swarmops.store.translate import translate
from swarmops.store.unit import Unit

_EXISTS = sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :name")


def take(url: URL, dest: Path) -> Census:
    """Dump the store's schema at ``url`` to ``dest``; the counts of the dumped snapshot."""
    program = pg_tools.require("pg_dump")["pg_dump"]
    engine = sa.create_engine(url)
    try:
        with engine.connect() as live, live.begin():
            live.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = live.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            schema = live.exec_driver_sql("SELECT current_schema()").scalar()
            if schema is None:
                raise BadInput(f"store {_shown(url)}: the schema its search path names is missing")
            held = census(live, "pg_dump", schema)
            where, env = pg_tools.conninfo(url)
            pattern = '"' + schema.replace('"', '""') + '"'
            args = ["--format=custom", f"--schema={pattern}", f"--snapshot={snapshot}"]
            pg_tools.run(program, [*args, f"--file={dest}", f"--dbname={where}"], env)
    except sa.exc.DBAPIError as exc:
        raise translate(exc, _shown(url)) from exc
    finally:
        engine.dispose()
    return held


def restore(source: Path, schema: str, url: URL, *, force: bool) -> None:
    """Restore the dump of ``schema`` into the store at ``url`` (its search path's first
    schema), which must be empty unless ``force``; on failure the target is as it was."""
    program = pg_tools.require("pg_restore")["pg_restore"]
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        target, aside = _make_room(engine, schema, force)
        try:
            _pg_restore(program, source, url)
        except BaseException:
            back = [f"ALTER SCHEMA {_q(aside)} RENAME TO {_q(target)}"] if aside else []
            _run(engine, [f"DROP SCHEMA IF EXISTS {_q(schema)} CASCADE", *back])
            raise
        _run(engine, _settled(schema, target, aside))
    except sa.exc.DBAPIError as exc:
        raise translate(exc, _shown(url)) from exc
    finally:
        engine.dispose()


@contextmanager
def scratch(source: Path, schema: str, server: URL) -> Iterator[Store]:
    """The dump restored into a scratch database on ``server``, dropped afterwards."""
    program = pg_tools.require("pg_restore")["pg_restore"]
    name = f"{SCHEMA_PREFIX}{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        _run(admin, [f"CREATE DATABASE {_q(name)}"])
        try:
            url = with_search_path(server.set(database=name), schema)
            _pg_restore(program, source, url, fresh=True)
            store = open_store(url.render_as_string(hide_password=False), migrate=False)
            try:
                yield store
            finally:
                store.dispose()
        finally:
            _run(admin, [f"DROP DATABASE IF EXISTS {_q(name)} WITH (FORCE)"])
    except sa.exc.DBAPIError as exc:
        raise translate(exc, _shown(server)) from exc
    finally:
        admin.dispose()


def _make_room(engine: Engine, schema: str, force: bool) -> tuple[str, str | None]:
    """The target schema, checked empty (unless ``force``), and the name a schema of the
    dump's name was moved aside to (None when there was none)."""
    with engine.connect() as connection:
        target = search_schema(Unit(connection, SystemClock(), _shown(engine.url))) or "public"
        present = _exists(connection, target)
        tables = sa.inspect(connection).get_table_names(schema=target) if present else []
        if tables and not force:
            raise BadInput(
                f"target store is not empty ({len(tables)} tables in schema {target!r}): "
                "restore into an empty store, or pass --force to replace its content"
            )
        if not _exists(connection, schema):
            return target, None
        if schema != target:
            raise BadInput(
                f"the backup's schema {schema!r} exists in the target database: restore into "
                f"schema {schema!r} or into another database"
            )
        aside = f"{SCHEMA_PREFIX}aside_{uuid.uuid4().hex[:12]}"
        connection.exec_driver_sql(f"ALTER SCHEMA {_q(schema)} RENAME TO {_q(aside)}")
        return target, aside


def _settled(schema: str, target: str, aside: str | None) -> list[str]:
    """After a restore into ``schema``: give it the target's name, drop what was aside."""
    moves = []
    if schema != target:
        moves += [f"DROP SCHEMA IF EXISTS {_q(target)} CASCADE"]
        moves += [f"ALTER SCHEMA {_q(schema)} RENAME TO {_q(target)}"]
    return moves + ([f"DROP SCHEMA {_q(aside)} CASCADE"] if aside else [])


def _pg_restore(program: str, source: Path, url: URL, *, fresh: bool = False) -> None:
    """pg_restore in one transaction, stopping at the first error; ``fresh``: the
    database is new, and its default public schema gives way to the dump's."""
    if fresh:
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            _run(engine, ["DROP SCHEMA IF EXISTS public CASCADE"])
        finally:
            engine.dispose()
    where, env = pg_tools.conninfo(url)
    options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    pg_tools.run(program, [*options, f"--dbname={where}", str(source)], env)


def _run(engine: Engine, statements: list[str]) -> None:
    """Run ``statements`` in one transaction."""
    with engine.connect() as connection, connection.begin():
        for statement in statements:
            connection.exec_driver_sql(statement)


def _exists(connection: sa.Connection, schema: str) -> bool:
    return connection.execute(_EXISTS, {"name": schema}).first() is not None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)
