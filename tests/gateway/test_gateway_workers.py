"""``swarmops gateway --workers N``: N processes answer on one socket, on either store,
every write that got a 2xx is in the store, and stopping the supervisor stops them all."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from gateway_seed import count, issue, seed_agents, spawn_gateway

from swarmops.store import open_store
from swarmops.store.schema import messages


def _workers(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children if _is_worker(int(child))]


def _is_worker(pid: int) -> bool:
    """uvicorn's supervisor spawns its workers through multiprocessing (a resource
    tracker may sit beside them)."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    return any(b"spawn_main" in part for part in command)


@pytest.mark.heavy
def test_two_worker_processes_share_the_socket_and_the_store(store_url: str) -> None:
    store = open_store(store_url, create=True)
    seed_agents(store, ["a1", "a2"])
    token = issue(store, "a1")
    gateway = spawn_gateway(store_url, workers=2)
    try:
        assert len(_workers(gateway.process.pid)) == 2
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=gateway.url, headers=headers, timeout=30) as client:
            sent = [
                client.post("/v1/agents/a1/messages", json={"to": "a2", "body": {"n": n}})
                for n in range(40)
            ]
        assert [answer.status_code for answer in sent] == [200] * 40
        assert count(store, messages) == 40
        ids = {answer.json()["ids"][0] for answer in sent}
        assert len(ids) == 40  # forty distinct rows, none written twice
    finally:
        workers = _workers(gateway.process.pid)
        gateway.stop()
        store.dispose()
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
