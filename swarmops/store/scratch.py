"""A scratch namespace beside the real store: probes and smoke tests write there and
leave nothing behind — a temporary SQLite file, or a temporary PostgreSQL schema on
the same server (so timings and SQL behaviour match the real store's backend).

It lives in the store package because making one is the one thing here that differs
by database; the pipeline's SLO probes and smoke only ask for one.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from swarmops.store.store import Store, open_store

SCHEMA_PREFIX = "swarmops_scratch_"


def backend_name(like: str | URL) -> str:
    """The database behind a store URL (``sqlite`` or ``postgresql``), for reports."""
    return make_url(like).get_backend_name()


@contextmanager
def scratch_store(like: str | URL) -> Iterator[Store]:
    """A migrated, empty store on the same backend as ``like``, removed afterwards
    even when the body fails."""
    url = make_url(like)
    if url.get_backend_name() == "postgresql":
        with _pg_schema(url) as scratch_url:
            yield from _opened(scratch_url)
    else:
        folder = Path(tempfile.mkdtemp(prefix="swarmops-scratch-"))
        try:
            yield from _opened(make_url(f"sqlite:///{folder / 'scratch.db'}"))
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _opened(url: URL) -> Iterator[Store]:
    store = open_store(url.render_as_string(hide_password=False), create=True)
    try:
        yield store
    finally:
        store.dispose()


@contextmanager
def _pg_schema(server: URL) -> Iterator[URL]:
    schema = f"{SCHEMA_PREFIX}{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(server)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        try:
            yield with_search_path(server, schema)
        finally:
            with admin.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        admin.dispose()


def with_search_path(url: URL, schema: str) -> URL:
    """``url`` with its libpq options pointing search_path at ``schema`` only."""
    options = url.query.get("options", "")
    kept = [opt for opt in str(options).split() if not opt.startswith("-csearch_path=")]
    kept.append(f"-csearch_path={schema}")
    return url.update_query_dict({"options": " ".join(kept)})
