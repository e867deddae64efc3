"""Two gateways on one PostgreSQL store: a long poll on one is woken by a send on the other
(LISTEN/NOTIFY), and messages fetched from both replicas at once are each delivered once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from gateway_seed import GatewayProcess, issue, seed_agents, spawn_gateway

from swarmops.gateway.core import RECHECK_LISTENING_S
from swarmops.store import open_store

WAIT_S = RECHECK_LISTENING_S - 2  # shorter than the re-check: only a NOTIFY can wake it in time
MESSAGES = 40


@pytest.fixture
def replicas(pg_schema_url: str) -> Any:
    store = open_store(pg_schema_url, create=True)
    seed_agents(store, ["a1", "a2"])
    tokens = {"a1": issue(store, "a1"), "a2": issue(store, "a2")}
    first, second = spawn_gateway(pg_schema_url), spawn_gateway(pg_schema_url)
    yield first, second, tokens
    first.stop()
    second.stop()
    store.dispose()


def _client(gateway: GatewayProcess, token: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.Client(base_url=gateway.url, headers=headers, timeout=60)


@pytest.mark.heavy
def test_a_fetch_on_one_replica_is_woken_by_a_send_on_the_other(replicas: Any) -> None:
    first, second, tokens = replicas
    fetched: list[Any] = []

    def fetch() -> None:
        with _client(first, tokens["a1"]) as a1:
            body = {"max_messages": 1, "wait": WAIT_S}
            fetched.append(a1.post("/v1/agents/a1/inbox", json=body).json()["messages"])

    waiting = threading.Thread(target=fetch)
    waiting.start()
    time.sleep(1.0)  # let the fetch park on the first replica (not an assertion on time)
    with _client(second, tokens["a2"]) as a2:
        sent = a2.post("/v1/agents/a2/messages", json={"to": "a1", "body": {"n": 1}}).json()
    waiting.join(timeout=60)
    assert [[m["id"] for m in batch] for batch in fetched] == [sent["ids"]]


@pytest.mark.heavy
def test_fetching_from_both_replicas_delivers_each_message_once(replicas: Any) -> None:
    first, second, tokens = replicas
    delivered: list[int] = []

    def consume(gateway: GatewayProcess) -> None:
        with _client(gateway, tokens["a1"]) as a1:
            while len(delivered) < MESSAGES:
                body = {"max_messages": 3, "wait": 2, "lease_s": 600}
                batch = a1.post("/v1/agents/a1/inbox", json=body).json()["messages"]
                delivered.extend(m["id"] for m in batch)

    with ThreadPoolExecutor(4) as pool:
        consumers = [pool.submit(consume, g) for g in (first, second, first, second)]
        with _client(second, tokens["a2"]) as a2:
            sent = [
                a2.post("/v1/agents/a2/messages", json={"to": "a1", "body": n}).json()
                for n in range(MESSAGES)
            ]
        for consumer in consumers:
            consumer.result(timeout=120)
    assert sorted(delivered) == sorted(i for s in sent for i in s["ids"])
