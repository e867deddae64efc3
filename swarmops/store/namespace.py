"""The PostgreSQL schema a store URL names (``options=-csearch_path=NAME``), which a
first migration needs to exist: found without creating anything, or created.

SQLite has no such thing (its file is created on connect), so both functions are
no-ops there. Only the first entry of the search path counts: it is where
``CREATE TABLE`` puts the tables; ``$user`` is skipped as PostgreSQL does when no
such schema exists.
"""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.errors import ConstraintViolation
from swarmops.store.store import Store
from swarmops.store.unit import Unit

_EXISTS = sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :name")


def missing_namespace(store: Store) -> str | None:
    """The schema the URL names when it does not exist yet, else None (reads only)."""
    with store.unit(read_only=True) as unit:
        if unit.dialect != "postgresql":
            return None
        name = search_schema(unit)
        if name is None or unit.execute(_EXISTS, {"name": name}).first() is not None:
            return None
        return name


def ensure_namespace(store: Store) -> str | None:
    """Create the schema the URL names when it is missing; returns the name created."""
    name = missing_namespace(store)
    if name is None:
        return None
    try:
        with store.unit() as unit:
            quoted = unit.connection.dialect.identifier_preparer.quote(name)
            unit.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {quoted}"))
    except ConstraintViolation:  # created concurrently by another process: it exists
        return None
    return name


def search_schema(unit: Unit) -> str | None:
    """The schema new tables go to: the first entry of the search path (it may not exist)."""
    setting = str(unit.scalar(sa.text("SHOW search_path")) or "")
    names = [part.strip().strip('"') for part in setting.split(",")]
    return next((name for name in names if name and name != "$user"), None)
