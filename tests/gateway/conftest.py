"""Gateway fixtures: a seeded swarm on each store and a live gateway serving it.

``live`` is one gateway per test; ``shared_live`` one per module and backend, for the
tests that only read answers (the auth matrix), which keeps their run time modest.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from gateway_seed import (
    LiveGateway,
    expired,
    issue,
    revoked,
    seed_agents,
    seed_contracts,
    settings_for,
    start_gateway,
)

from swarmops.settings import normalise_store_url
from swarmops.store import Store, open_store

AGENTS = ["a1", "a2", "a3"]
PG_ENV = "SWARMOPS_TEST_PG_URL"


@pytest.fixture
def swarm_store(store_url: str) -> Iterator[Store]:
    """A migrated store (system clock: the gateway runs in real time) with three agents
    and four contracts."""
    store = _seeded(store_url)
    yield store
    store.dispose()


@pytest.fixture
def live(swarm_store: Store, store_url: str, tmp_path: Path) -> Iterator[LiveGateway]:
    """A gateway on the seeded store, with tokens: a1..a3, ops (operator), revoked, expired."""
    gateway = _serve(swarm_store, store_url, tmp_path)
    yield gateway
    gateway.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveGateway]:
    folder = tmp_path_factory.mktemp("gateway")
    with _module_url(request.param, folder) as url:
        store = _seeded(url)
        gateway = _serve(store, url, folder)
        yield gateway
        gateway.stop()
        store.dispose()


def _seeded(url: str) -> Store:
    store = open_store(url, create=True)
    seed_agents(store, AGENTS)
    seed_contracts(store, 4)
    return store


def _serve(store: Store, url: str, folder: Path) -> LiveGateway:
    gateway = start_gateway(settings_for(url, folder))
    gateway.tokens.update({name: issue(store, name) for name in AGENTS})
    gateway.tokens["ops"] = issue(store, "ops", "operator")
    gateway.tokens["revoked"] = revoked(store, "a1")
    gateway.tokens["expired"] = expired(store, "a1")
    return gateway


@contextmanager
def _module_url(backend: str, folder: Path) -> Iterator[str]:
    """A store URL for a whole module: a SQLite file, or a private PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'swarmops.db'}"
        return
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL cases need a server URL")
    server, schema = normalise_store_url(server), f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(server)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
