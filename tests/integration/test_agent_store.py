"""Agent transitions on SQLite and PostgreSQL: idempotency keys, version conflicts,
composing inside a caller's transaction, and heartbeats."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from swarmops.errors import BadInput, VersionConflict
from swarmops.fsm import (
    AgentEvent,
    TransitionResult,
    agent_history,
    driver,
    get_agent,
    heartbeat,
    load_agent_machine,
    transition,
    verify_agents,
)
from swarmops.store import Store, in_unit
from swarmops.testing import FrozenClock, agent_in_state

MACHINE = load_agent_machine(Path(__file__).resolve().parents[2] / "config" / "fsm.yaml")


def test_an_idempotency_key_is_one_effect(store: Store) -> None:
    agent_in_state(store, MACHINE, "w", "IDLE")
    first = in_unit(store, transition, MACHINE, "w", "PAUSED", key="k-1", reason="lunch")
    in_unit(store, transition, MACHINE, "w", "IDLE")
    events = len(agent_history(store, "w"))
    again = in_unit(store, transition, MACHINE, "w", "PAUSED", key="k-1", reason="lunch")
    assert again.replayed and not first.replayed
    assert (again.agent, again.event) == (first.agent, first.event)
    assert len(agent_history(store, "w")) == events and get_agent(store, "w").state == "IDLE"
    with pytest.raises(BadInput, match="'k-1' of agent:w was already used for another request"):
        in_unit(store, transition, MACHINE, "w", "ERROR", key="k-1")


def test_expected_version_is_compare_and_set(store: Store) -> None:
    agent_in_state(store, MACHINE, "w", "IDLE")
    assert get_agent(store, "w").version == 2
    with pytest.raises(VersionConflict, match="at version 2, not 1"):
        in_unit(store, transition, MACHINE, "w", "PAUSED", expect_version=1)
    moved = in_unit(store, transition, MACHINE, "w", "PAUSED", expect_version=2)
    assert moved.agent.version == 3
    with pytest.raises(VersionConflict, match="at version 3, not 2"):
        in_unit(store, transition, MACHINE, "w", "IDLE", expect_version=2)


def test_a_stale_read_loses_the_compare_and_set(store: Store) -> None:
    """Two writers read version 2; the second one's UPDATE matches no row."""
    agent_in_state(store, MACHINE, "w", "IDLE")
    in_unit(store, transition, MACHINE, "w", "PAUSED")
    stale = get_agent(store, "w").model_copy(update={"version": 2, "state": "IDLE"})
    event = AgentEvent(
        id=0,
        agent_id="w",
        seq=3,
        from_state="IDLE",
        to_state="ERROR",
        at=store.now(),
        actor="operator",
        reason=None,
        key=None,
    )
    with pytest.raises(VersionConflict, match="now at version 3"), store.unit() as conn:
        driver.append_event(conn, stale, event)
    assert get_agent(store, "w").version == 3 and verify_agents(store, MACHINE).ok


def test_a_transition_joins_the_callers_unit(store: Store) -> None:
    agent_in_state(store, MACHINE, "w", "IDLE")
    events = len(agent_history(store, "w"))
    with pytest.raises(RuntimeError), store.unit() as conn:
        transition(conn, MACHINE, "w", "OFFLINE", actor="system")
        raise RuntimeError("the caller's later step failed")
    assert (get_agent(store, "w").state, len(agent_history(store, "w"))) == ("IDLE", events)


def test_heartbeat_records_time_and_an_offline_agent_rejoins(
    store: Store, clock: FrozenClock
) -> None:
    agent_in_state(store, MACHINE, "w", "IDLE")
    clock.advance(5)
    beat = in_unit(store, heartbeat, MACHINE, "w")
    assert (beat.state, beat.version, beat.heartbeat_at) == ("IDLE", 2, clock.now())
    in_unit(store, transition, MACHINE, "w", "OFFLINE", actor="system")
    clock.advance(5)
    back = in_unit(store, heartbeat, MACHINE, "w")
    assert (back.state, back.version, back.heartbeat_at) == ("IDLE", 4, clock.now())
    assert get_agent(store, "w") == back
    last = agent_history(store, "w")[-1]
    assert (last.from_state, last.to_state, last.actor) == ("OFFLINE", "IDLE", "w")


def test_a_key_raced_by_two_writers_is_one_effect(store: Store) -> None:
    """A second writer with the same key, blocked behind the first, returns the first result."""
    agent_in_state(store, MACHINE, "w", "IDLE")
    results: list[object] = []

    def second_writer() -> None:
        results.append(in_unit(store, transition, MACHINE, "w", "PAUSED", key="race"))

    thread = threading.Thread(target=second_writer)
    with store.unit() as conn:
        first = transition(conn, MACHINE, "w", "PAUSED", key="race")
        thread.start()
        time.sleep(0.3)  # let the second writer reach the lock (the result holds either way)
    thread.join(timeout=60)
    [second] = results
    assert isinstance(second, TransitionResult) and second.replayed
    assert (second.event, second.agent) == (first.event, first.agent)
    assert get_agent(store, "w").version == 3 and verify_agents(store, MACHINE).ok


def test_a_key_is_scoped_by_its_agent(store: Store) -> None:
    """Two agents choosing the same key string each get their own transition."""
    agent_in_state(store, MACHINE, "a", "IDLE")
    agent_in_state(store, MACHINE, "b", "IDLE")
    first = in_unit(store, transition, MACHINE, "a", "PAUSED", key="retry-1")
    second = in_unit(store, transition, MACHINE, "b", "PAUSED", key="retry-1")
    assert not first.replayed and not second.replayed
    assert (first.event.agent_id, second.event.agent_id) == ("a", "b")
    assert get_agent(store, "a").state == get_agent(store, "b").state == "PAUSED"
    again = in_unit(store, transition, MACHINE, "b", "PAUSED", key="retry-1")
    assert again.replayed and again.event == second.event
