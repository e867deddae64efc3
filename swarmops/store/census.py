"""What a copy of a store holds: its format, schema revision and the rows of every table.

Counted in the transaction that reads the copy's data (SQLite: the copy itself;
PostgreSQL: the snapshot ``pg_dump`` dumps), so the counts are the copy's, exactly.
"""

from __future__ import annotations

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.clock import SystemClock
from swarmops.store.migrate import revision_in
from swarmops.store.unit import Unit


class Census(BaseModel):
    """A copy's format (``sqlite`` or ``pg_dump``), revision, PostgreSQL schema and rows."""

    model_config = ConfigDict(frozen=True)

    format: str
    revision: str | None
    schema_name: str | None = None
    tables: dict[str, int]


def census(connection: sa.Connection, fmt: str, schema: str | None = None) -> Census:
    """Count every table of the connection's own schema, and read its revision."""
    names = sorted(sa.inspect(connection).get_table_names())
    tables = {name: _rows(connection, name) for name in names}
    revision = revision_in(Unit(connection, SystemClock(), "copy")) if names else None
    return Census(format=fmt, revision=revision, schema_name=schema, tables=tables)


def _rows(connection: sa.Connection, name: str) -> int:
    query = sa.select(sa.func.count()).select_from(sa.table(name))
    return int(connection.execute(query).scalar_one())
