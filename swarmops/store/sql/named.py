"""A named statement and the builders of the few shapes that differ by database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

DIALECTS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Named:
    """One statement with its form per database: Core statements, or plain SQL text for the
    hot paths that run straight on the driver (``Unit.raw``)."""

    name: str
    sqlite: Any
    postgresql: Any

    def form(self, dialect: str) -> Any:
        """The statement of ``dialect`` (``sqlite`` or ``postgresql``)."""
        return self.sqlite if dialect == "sqlite" else self.postgresql

    @classmethod
    def build(cls, name: str, builder: Callable[[str], Any]) -> Named:
        """Call ``builder(dialect)`` once per database."""
        return cls(name, sqlite=builder("sqlite"), postgresql=builder("postgresql"))


MARKS = {"sqlite": "?", "postgresql": "%s"}


def plain(name: str, template: str) -> Named:
    """Parameterised SQL text for ``Unit.raw``, the two databases differing only in the
    parameter mark: ``{m}`` in ``template`` is each one's mark."""
    return Named.build(name, lambda dialect: template.replace("{m}", MARKS[dialect]))


_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def insert_ignoring(
    name: str,
    table: sa.Table,
    index_elements: Sequence[str],
    *,
    index_where: sa.ColumnElement[bool] | None = None,
    returning: Sequence[sa.ColumnElement[Any]] = (),
) -> Named:
    """``INSERT … ON CONFLICT (index) DO NOTHING``: a concurrent or repeated insert of the
    same key is skipped, and ``RETURNING`` gives no row for it."""

    def build(dialect: str) -> Any:
        insert = _INSERTS[dialect](table).on_conflict_do_nothing(
            index_elements=list(index_elements), index_where=index_where
        )
        return insert.returning(*returning) if returning else insert

    return Named.build(name, build)


def for_update(name: str, query: sa.Select[Any], **lock: Any) -> Named:
    """A SELECT that locks its rows on PostgreSQL; SQLite's write transaction already
    holds the whole database, so its form is the plain query."""
    return Named(name, sqlite=query, postgresql=query.with_for_update(**lock))
