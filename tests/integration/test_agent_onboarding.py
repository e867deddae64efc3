"""Failover and rejoin never move an agent past its onboarding, on SQLite and PostgreSQL.

An agent nobody has onboarded has not started: the sweep leaves it alone however long
it has been quiet. An agent that went offline before it ever took work rejoins to
onboarding; one that worked rejoins to the machine's rejoin state. Each rejoin is an
event of the agent's, and replaying the log still reproduces the projection.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from swarmops.coordination import failover
from swarmops.fsm import (
    AgentSpec,
    agent_history,
    get_agent,
    heartbeat,
    load_agent_machine,
    register,
    transition,
    verify_agents,
)
from swarmops.settings import CoordinationSettings
from swarmops.store import Store, in_unit
from swarmops.testing import FrozenClock, agent_in_state

MACHINE = load_agent_machine(Path(__file__).resolve().parents[2] / "config" / "fsm.yaml")
POLICY = CoordinationSettings(heartbeat_timeout_s=300, lease_s=60)


def test_the_sweep_leaves_agents_still_onboarding_alone(store: Store, clock: FrozenClock) -> None:
    for agent_id in ("never-beat", "beat-once", "worker"):
        in_unit(store, register, MACHINE, AgentSpec(id=agent_id, role="dev", capacity=1))
    in_unit(store, heartbeat, MACHINE, "beat-once")
    in_unit(store, transition, MACHINE, "worker", "IDLE", actor="worker")
    clock.advance(POLICY.heartbeat_timeout_s * 10)
    report = in_unit(store, failover, MACHINE, POLICY)
    assert [gone.agent_id for gone in report.offline] == ["worker"]
    assert get_agent(store, "never-beat").state == get_agent(store, "beat-once").state
    assert get_agent(store, "beat-once").state == "ONBOARDING"
    assert in_unit(store, failover, MACHINE, POLICY).offline == []


@pytest.mark.parametrize(
    ("path", "back"),
    [
        (["OFFLINE"], "ONBOARDING"),  # taken offline before it was onboarded
        (["ERROR", "OFFLINE"], "ONBOARDING"),  # failed while onboarding, then went quiet
        (["IDLE", "OFFLINE"], "IDLE"),
        (["IDLE", "PAUSED", "OFFLINE"], "IDLE"),
        (["IDLE", "CONTRACT_ACTIVE", "OFFLINE"], "IDLE"),
    ],
)
def test_a_rejoin_returns_where_the_machine_says(store: Store, path: list[str], back: str) -> None:
    agent_in_state(store, MACHINE, "a", path[0])
    for state in path[1:]:
        in_unit(store, transition, MACHINE, "a", state, actor="system")
    rejoined = in_unit(store, heartbeat, MACHINE, "a")
    assert rejoined.state == get_agent(store, "a").state == back
    last = agent_history(store, "a")[-1]
    assert (last.from_state, last.to_state, last.actor, last.reason) == (
        "OFFLINE",
        back,
        "a",
        "heartbeat",
    )
    assert verify_agents(store, MACHINE).ok


def test_a_demo_run_twice_past_the_timeout_onboards_nobody(
    store: Store, clock: FrozenClock
) -> None:
    """The issue's example: sweep, heartbeat, sweep; agents never onboarded stay so."""
    for agent_id in ("agent-1", "agent-2"):
        in_unit(store, register, MACHINE, AgentSpec(id=agent_id, role="dev", capacity=1))
    for _ in range(2):
        clock.advance(POLICY.heartbeat_timeout_s + 1)
        in_unit(store, failover, MACHINE, POLICY)
        for agent_id in ("agent-1", "agent-2"):
            assert in_unit(store, heartbeat, MACHINE, agent_id).state == "ONBOARDING"
    assert all(len(agent_history(store, a)) == 1 for a in ("agent-1", "agent-2"))
