"""SIGKILL of the gateway in the middle of a burst of writes: every write that got a 2xx is
in the store, whole, and no write is half there (each role send is all its copies and its
idempotency record, or nothing)."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import sqlalchemy as sa
from gateway_seed import issue, seed_agents, spawn_gateway

from swarmops.store import open_store
from swarmops.store.schema import idempotency, messages

WRITERS = 12
KILL_AFTER = 120  # acknowledged writes before the kill
ROLE_SIZE = 3


class Burst:
    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token
        self.acknowledged: dict[str, list[int]] = {}
        self.lock, self.stop = threading.Lock(), threading.Event()

    def run(self, writer: int) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=30) as client:
            for n in range(10**6):
                if self.stop.is_set():
                    return
                key = f"w{writer}-{n}"
                body = {"role": "dev", "body": {"key": key}, "key": key}
                try:
                    response = client.post("/v1/agents/a1/messages", json=body)
                except httpx.HTTPError:
                    return  # the gateway is gone
                if response.status_code == 200:
                    with self.lock:
                        self.acknowledged[key] = response.json()["ids"]


@pytest.mark.slow
def test_sigkill_during_a_burst_loses_no_acknowledged_write(store_url: str) -> None:
    store = open_store(store_url, create=True)
    seed_agents(store, ["a1", "a2", "a3"])
    burst = Burst("", issue(store, "a1"))
    gateway = spawn_gateway(store_url)
    burst.url = gateway.url
    threads = [threading.Thread(target=burst.run, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    while len(burst.acknowledged) < KILL_AFTER and all(t.is_alive() for t in threads):
        time.sleep(0.01)
    gateway.kill()
    burst.stop.set()
    for thread in threads:
        thread.join(timeout=60)
    gateway.stop()
    _assert_whole(store, burst.acknowledged)
    store.dispose()


def _assert_whole(store: object, acknowledged: dict[str, list[int]]) -> None:
    with store.unit(read_only=True) as unit:  # type: ignore[attr-defined]
        rows = unit.execute(sa.select(messages.c.id, messages.c.idempotency_key, messages.c.body))
        by_key: dict[str, list[int]] = {}
        for message_id, key, body in rows:
            assert body == {"key": key}
            by_key.setdefault(key, []).append(message_id)
        records = dict(unit.execute(sa.select(idempotency.c.key, idempotency.c.result)).all())
    assert len(acknowledged) >= KILL_AFTER
    for key, ids in acknowledged.items():
        assert sorted(by_key.get(key, [])) == sorted(ids), key
    for key, ids in by_key.items():
        assert len(ids) == ROLE_SIZE, key
        assert records[key] is not None and sorted(records[key]["ids"]) == sorted(ids), key
    assert set(records) == set(by_key)
