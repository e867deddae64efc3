"""SQLite copies through the online backup API (``sqlite3.Connection.backup``).

The backup runs in one step, so it reads the source in one read transaction: in
WAL mode writers go on meanwhile and the copy is the database as of that
transaction's start. The copy is switched to a rollback journal, so it is one
self-contained file (no -wal beside it) whose bytes a checksum can vouch for.
Restoring is the same API the other way, into the target's own connection.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from swarmops.errors import BadInput
from swarmops.store.census import Census, census
from swarmops.store.engine import BUSY_TIMEOUT_S
from swarmops.store.store import Store, open_store
from swarmops.store.translate import translate


def take(url: URL, dest: Path) -> Census:
    """Copy the database at ``url`` into the new file ``dest``; what the copy holds."""
    source = _path(url)
    if not source.is_file():
        raise BadInput(f"no SQLite store at {source}")
    try:
        live = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)
        with closing(live), closing(sqlite3.connect(dest)) as copy:
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise translate(exc, str(source)) from exc
    return _census_of(dest)


def restore(source: Path, url: URL, *, force: bool) -> None:
    """Replace the (empty, unless ``force``) database at ``url`` with the copy ``source``."""
    target = _path(url)
    if not force:
        _refuse_non_empty(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        copy = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        with closing(copy), closing(sqlite3.connect(target, timeout=BUSY_TIMEOUT_S)) as into:
            copy.backup(into)
    except sqlite3.Error as exc:
        raise translate(exc, str(source)) from exc


@contextmanager
def scratch(source: Path) -> Iterator[Store]:
    """The copy restored into a temporary file, removed afterwards even on failure."""
    folder = Path(tempfile.mkdtemp(prefix="swarmops-verify-"))
    try:
        target = folder / "scratch.db"
        restore(source, make_url(f"sqlite:///{target}"), force=False)
        store = open_store(f"sqlite:///{target}", migrate=False)
        try:
            yield store
        finally:
            store.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _census_of(path: Path) -> Census:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return census(connection, "sqlite")
    except sa.exc.DBAPIError as exc:
        raise translate(exc, str(path)) from exc
    finally:
        engine.dispose()


def _path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BadInput(f"a SQLite store to copy needs a file, not {url.database or 'memory'}")
    return Path(url.database)


def _refuse_non_empty(target: Path) -> None:
    if not target.is_file() or target.stat().st_size == 0:
        return
    tables = _census_of(target).tables
    if tables:
        raise BadInput(
            f"target store {target} is not empty ({len(tables)} tables): restore into an "
            "empty store, or pass --force to replace its content"
        )
