"""The PostgreSQL schema a store URL names (``options=-csearch_path=NAME``), which a
first migration needs to exist: found without creating anything, or created.

SQLite has no such thing (its file is created on connect), so both functions are
no-ops there. Only the first entry of the search path counts: it is where
``CREATE TABLE`` puts the tables; ``$user`` is skipped as PostgreSQL does when no
such schema exists.
"""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.store.store import Store

_EXISTS = sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :name")


def missing_namespace(store: Store) -> str | None:
    """The schema the URL names when it does not exist yet, else None (reads only)."""
    if store.dialect != "postgresql":
        return None
    with store.read() as conn:
        name = _first_schema(conn)
        if name is None or conn.execute(_EXISTS, {"name": name}).first() is not None:
            return None
        return name


def ensure_namespace(store: Store) -> str | None:
    """Create the schema the URL names when it is missing; returns the name created."""
    name = missing_namespace(store)
    if name is None:
        return None
    try:
        with store.write() as conn:
            quoted = conn.dialect.identifier_preparer.quote(name)
            conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {quoted}")
    except sa.exc.IntegrityError:  # created concurrently by another process: it exists
        return None
    return name


def _first_schema(conn: sa.Connection) -> str | None:
    setting = str(conn.execute(sa.text("SHOW search_path")).scalar() or "")
    names = [part.strip().strip('"') for part in setting.split(",")]
    return next((name for name in names if name and name != "$user"), None)
