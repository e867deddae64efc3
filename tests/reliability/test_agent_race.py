"""Eight processes racing transitions on the same agents lose no update (both databases)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.fsm import AgentSpec, list_agents, load_agent_machine, register, verify_agents
from swarmops.store import Store, in_unit
from swarmops.store.schema import agent_events
from swarmops.testing import seed_contract

FSM = Path(__file__).resolve().parents[2] / "config" / "fsm.yaml"
AGENTS = ("r0", "r1", "r2")
WORKERS, ROUNDS = 8, 40

WORKER = """
import json, random, sys
from swarmops.errors import IllegalTransition, VersionConflict
from swarmops.fsm import get_agent, load_agent_machine, transition
from swarmops.store import in_unit, open_store

url, fsm, seed, rounds, *agent_ids = sys.argv[1:]
store, machine = open_store(url, migrate=False), load_agent_machine(fsm)
rng = random.Random(int(seed))
counts = {"done": 0, "conflict": 0, "refused": 0}
for _ in range(int(rounds)):
    agent = get_agent(store, rng.choice(agent_ids))
    target = rng.choice([t for t in machine.targets(agent.state) if t != "SHUTDOWN"])
    expect = agent.version if rng.random() < 0.5 else None
    try:
        in_unit(store, transition, machine, agent.id, target, actor="system", expect_version=expect)
        counts["done"] += 1
    except VersionConflict:
        counts["conflict"] += 1
    except IllegalTransition:
        counts["refused"] += 1
print(json.dumps(counts))
"""


def seed_agents(store: Store) -> None:
    machine = load_agent_machine(FSM)
    for agent_id in AGENTS:  # each with a contract, so the claim guard holds
        in_unit(store, register, machine, AgentSpec(id=agent_id, role="dev"))
        seed_contract(store, f"c-{agent_id}", agent_id)


@pytest.mark.heavy
def test_racing_writers_lose_no_update(store: Store, store_url: str) -> None:
    seed_agents(store)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, store_url, str(FSM), str(seed), str(ROUNDS), *AGENTS],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in range(WORKERS)
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    assert sum(r["done"] + r["conflict"] + r["refused"] for r in results) == WORKERS * ROUNDS
    done = sum(r["done"] for r in results)
    with store.unit(read_only=True) as conn:
        per_agent = dict(
            conn.execute(
                sa.select(agent_events.c.agent_id, sa.func.count()).group_by(
                    agent_events.c.agent_id
                )
            ).all()
        )
    assert sum(per_agent.values()) == done + len(AGENTS)
    assert {a.id: a.version for a in list_agents(store)} == per_agent
    report = verify_agents(store, load_agent_machine(FSM))
    assert report.ok, report.differences
