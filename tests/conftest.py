"""Shared fixtures: a store per test on SQLite and on PostgreSQL, and a frozen clock.

PostgreSQL cases read the server URL from ``SWARMOPS_TEST_PG_URL`` and give each
test its own schema (dropped afterwards); without the variable, or when no server
answers there, they skip with the reason (``make test`` sets the variable to the
default local server, so the cases run wherever one is up).
"""

from __future__ import annotations

import functools
import os
import signal
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from swarmops.settings import normalise_store_url
from swarmops.store import Store, open_store
from swarmops.testing import FrozenClock

pytest_plugins = ["hook_payloads"]  # the recorded hook payloads and their repository

PG_ENV = "SWARMOPS_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


def pytest_configure() -> None:
    """The processes the tests Ctrl-C must take SIGINT as a terminal's command would, even
    when this run began as a script's background job, which starts with SIGINT ignored
    (Python then keeps it ignored, and so would every child): a handled signal is reset
    to its default in each child a test starts."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pg_server_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL cases need a server URL")
    server = normalise_store_url(url)
    refusal = _unanswered(server)
    if refusal:
        pytest.skip(f"no PostgreSQL server answers at {PG_ENV}: {refusal}")
    return server


@functools.cache
def _unanswered(server: str) -> str | None:
    """Why the server does not answer a connection (asked once per session), or None."""
    engine = sa.create_engine(server, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except sa.exc.OperationalError as exc:
        return str(exc.orig or exc).strip().splitlines()[0]
    finally:
        engine.dispose()


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A store URL on PostgreSQL whose search_path is a fresh, private schema."""
    server = pg_server_url()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(server)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in server else "?"
    yield f"{server}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """An empty store URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'swarmops.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def store(store_url: str, clock: FrozenClock) -> Iterator[Store]:
    """A migrated store on each backend, on a frozen clock."""
    opened = open_store(store_url, clock, create=True)
    yield opened
    opened.dispose()
