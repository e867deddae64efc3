"""Copies of a whole store, the one thing about backups that differs by database.

A copy is consistent while writers keep writing: SQLite's online backup API (one
step, one read transaction; never a file copy of a live WAL database), or
``pg_dump`` in its custom format on a snapshot the counting transaction exported,
so the row counts it reports are those of the copy, exactly. A copy restores into
an empty store (``restore_copy``) or into a scratch store removed afterwards
(``scratch_copy``). ``swarmops.backup`` builds manifests, verification and
retention on these functions and never asks which database it has.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from swarmops.errors import BadInput
from swarmops.store import copy_pg, copy_sqlite
from swarmops.store.census import Census, census
from swarmops.store.store import Store

# Backup format by database, and the suffix of its file.
FORMATS: dict[str, tuple[str, str]] = {
    "sqlite": ("sqlite", ".sqlite"),
    "postgresql": ("pg_dump", ".pgdump"),
}


def copy_format(url: str) -> tuple[str, str]:
    """The backup format of the store at ``url`` and its file suffix."""
    return FORMATS[make_url(url).get_backend_name()]


def take_copy(url: str, dest: Path) -> Census:
    """Write a consistent copy of the store at ``url`` to ``dest``, while writers go on."""
    if copy_format(url)[0] == "sqlite":
        return copy_sqlite.take(make_url(url), dest)
    return copy_pg.take(make_url(url), dest)


def restore_copy(source: Path, held: Census, url: str, *, force: bool = False) -> None:
    """Restore ``source`` into the store at ``url``, which must be empty unless ``force``
    (then its content is replaced); the target is left as it was when this fails."""
    _same_format(held, url)
    if held.format == "sqlite":
        copy_sqlite.restore(source, make_url(url), force=force)
    else:
        copy_pg.restore(source, held.schema_name or "public", make_url(url), force=force)


@contextmanager
def scratch_copy(source: Path, held: Census, like: str) -> Iterator[Store]:
    """``source`` restored into a scratch store (a temporary SQLite file, or a scratch
    database on the PostgreSQL server of ``like``), removed afterwards even on failure.
    The store is as restored: not migrated."""
    if held.format == "sqlite":
        with copy_sqlite.scratch(source) as store:
            yield store
        return
    _same_format(held, like)
    with copy_pg.scratch(source, held.schema_name or "public", make_url(like)) as store:
        yield store


def store_census(store: Store, fmt: str) -> Census:
    """What ``store`` holds now, counted in one read transaction."""
    with store.unit(read_only=True) as unit:
        return census(unit.connection, fmt)


def _same_format(held: Census, url: str) -> None:
    wanted = copy_format(url)[0]
    if held.format != wanted:
        raise BadInput(f"a {held.format} backup restores into a {held.format} store, not {wanted}")
