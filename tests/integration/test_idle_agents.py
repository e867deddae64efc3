"""Idle versus dead, on SQLite and PostgreSQL: an agent whose session stopped is idle, not
silent; the failover sweep leaves it (and its work) alone and the metrics count it, while a
silent agent with no stop goes offline."""

from __future__ import annotations

from pathlib import Path

from swarmops.agent_sessions import idle_agents, mark_active, mark_started, mark_stopped
from swarmops.coordination import failover
from swarmops.fsm import get_agent, heartbeat, load_agent_machine
from swarmops.metrics.snapshot import read_snapshot
from swarmops.reservations import ReserveRequest, reserve
from swarmops.settings import CoordinationSettings
from swarmops.store import Store, in_unit
from swarmops.testing import FrozenClock, seed_agent

MACHINE = load_agent_machine(Path(__file__).parents[2] / "config" / "fsm.yaml")
POLICY = CoordinationSettings(heartbeat_timeout_s=300, lease_s=60)


def test_failover_tells_idle_from_dead(store: Store, clock: FrozenClock) -> None:
    for agent in ("idle", "dead"):
        seed_agent(store, agent, "dev")
        in_unit(store, mark_started, agent, "claude-code", "s-" + agent)
    clock.advance(10)
    in_unit(store, mark_stopped, "idle")  # its Stop hook: the turn ended, the user is away
    ask = ReserveRequest(agent_id="dead", repository="r", patterns=["lib/"], exclusive=False)
    in_unit(store, reserve, ask, POLICY)
    clock.advance(600)
    report = in_unit(store, failover, MACHINE, POLICY)
    assert report.idle == ["idle"] and [a.agent_id for a in report.offline] == ["dead"]
    assert get_agent(store, "idle").state == "IDLE" and get_agent(store, "dead").state == "OFFLINE"
    snapshot = read_snapshot(store, 0.999)
    assert snapshot["swarmops_agents_idle"] == {(): 1.0}
    assert snapshot["swarmops_reservations"] == {}  # the dead agent's went with failover


def test_work_after_a_stop_makes_the_agent_active_again(store: Store, clock: FrozenClock) -> None:
    seed_agent(store, "a", "dev")
    in_unit(store, mark_stopped, "a")
    assert in_unit(store, idle_agents) == {"a"}
    clock.advance(5)
    in_unit(store, heartbeat, MACHINE, "a")  # a beat after the stop: no longer idle
    assert in_unit(store, idle_agents) == set()
    in_unit(store, mark_stopped, "a")
    in_unit(store, mark_active, "a")
    assert in_unit(store, idle_agents) == set()


def test_metrics_count_live_reservations_and_refusals(store: Store) -> None:
    for agent in ("ann", "bob"):
        seed_agent(store, agent, "dev")
    in_unit(store, reserve, ReserveRequest(agent_id="ann", repository="r", patterns=["a/"]), POLICY)
    shared = ReserveRequest(agent_id="bob", repository="r", patterns=["b/"], exclusive=False)
    in_unit(store, reserve, shared, POLICY)
    refused = in_unit(
        store, reserve, ReserveRequest(agent_id="bob", repository="r", patterns=["a/x"]), POLICY
    )
    assert not refused.granted
    snapshot = read_snapshot(store, 0.999)
    assert snapshot["swarmops_reservations"] == {("exclusive",): 1.0, ("shared",): 1.0}
    assert snapshot["swarmops_reservation_conflicts_total"] == {("r",): 1.0}
