"""Gateway fixtures: a seeded swarm on each store and a live gateway serving it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
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

from swarmops.store import Store, open_store

AGENTS = ["a1", "a2", "a3"]


@pytest.fixture
def swarm_store(store_url: str) -> Iterator[Store]:
    """A migrated store (system clock: the gateway runs in real time) with three agents
    and four contracts."""
    store = open_store(store_url)
    seed_agents(store, AGENTS)
    seed_contracts(store, 4)
    yield store
    store.dispose()


@pytest.fixture
def live(swarm_store: Store, store_url: str, tmp_path: Path) -> Iterator[LiveGateway]:
    """A gateway on the seeded store, with tokens: a1, a2, ops (operator), revoked, expired."""
    gateway = start_gateway(settings_for(store_url, tmp_path))
    gateway.tokens.update({name: issue(swarm_store, name) for name in AGENTS})
    gateway.tokens["ops"] = issue(swarm_store, "ops", "operator")
    gateway.tokens["revoked"] = revoked(swarm_store, "a1")
    gateway.tokens["expired"] = expired(swarm_store, "a1")
    yield gateway
    gateway.stop()
