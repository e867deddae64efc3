"""Registering agents and rosters, verify and rebuild, and the snapshot, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.errors import BadInput
from swarmops.fsm import (
    AgentSpec,
    agent_history,
    get_agent,
    list_agents,
    load_agent_machine,
    rebuild_agents,
    register,
    snapshot,
    transition,
    verify_agents,
)
from swarmops.store import Store, in_unit
from swarmops.store.schema import agent_events, agents
from swarmops.testing import FrozenClock

CONFIG = Path(__file__).resolve().parents[2] / "config"


MACHINE = load_agent_machine(CONFIG / "fsm.yaml")


def test_registration_is_the_first_event(store: Store) -> None:
    agent = in_unit(
        store, register, MACHINE, AgentSpec(id="w", role="dev", skills=("sql", "py"))
    ).agent
    assert (agent.state, agent.version, agent.skills, agent.capacity) == (
        "ONBOARDING",
        1,
        ("py", "sql"),
        1,
    )
    [event] = agent_history(store, "w")
    assert (event.seq, event.from_state, event.to_state) == (1, None, "ONBOARDING")


def test_registering_again_is_a_no_op_and_other_data_needs_update(
    store: Store, clock: FrozenClock
) -> None:
    first = in_unit(
        store, register, MACHINE, AgentSpec(id="w", role="dev", skills=("a", "b"))
    ).agent
    clock.advance(60)
    again = in_unit(store, register, MACHINE, AgentSpec(id="w", role="dev", skills=("b", "a")))
    assert (again.agent, again.outcome) == (first, "unchanged")
    with pytest.raises(BadInput, match=r"role 'dev' -> 'ops'.*--update"):
        in_unit(store, register, MACHINE, AgentSpec(id="w", role="ops", skills=("a", "b")))
    assert get_agent(store, "w") == first
    changed = in_unit(
        store, register, MACHINE, AgentSpec(id="w", role="ops", capacity=3), update=True
    ).agent
    assert (changed.role, changed.capacity, changed.skills, changed.version) == ("ops", 3, (), 2)
    assert get_agent(store, "w") == changed
    change = agent_history(store, "w")[-1]  # every change is an event, keeping the state
    assert (change.seq, change.from_state, change.to_state) == (2, "ONBOARDING", "ONBOARDING")
    assert change.reason == "updated: role 'dev' -> 'ops'; capacity 1 -> 3; skills ('a', 'b') -> ()"


def test_bad_specs_are_refused() -> None:
    with pytest.raises(ValueError, match="not an identifier"):
        AgentSpec(id="-no", role="dev")
    with pytest.raises(ValueError):
        AgentSpec(id="ok", role="dev", capacity=-1)


def test_verify_finds_a_tampered_projection_and_rebuild_repairs_it(store: Store) -> None:
    in_unit(store, register, MACHINE, AgentSpec(id="w", role="dev"))
    in_unit(store, transition, MACHINE, "w", "IDLE")
    in_unit(store, register, MACHINE, AgentSpec(id="v", role="dev"))
    assert verify_agents(store, MACHINE).ok
    with store.unit() as conn:
        conn.execute(agents.update().where(agents.c.id == "w").values(state="PAUSED", version=7))
    report = verify_agents(store, MACHINE)
    assert not report.ok and (report.agents, report.events) == (2, 3)
    assert {(d.agent_id, d.what, d.projection, d.log) for d in report.differences} == {
        ("w", "state", "PAUSED", "IDLE"),
        ("w", "version", 7, 2),
    }
    assert in_unit(store, rebuild_agents, MACHINE) == report
    assert verify_agents(store, MACHINE).ok
    assert (get_agent(store, "w").state, get_agent(store, "w").version) == ("IDLE", 2)


def test_verify_reports_an_illegal_event_in_the_log(store: Store) -> None:
    in_unit(store, register, MACHINE, AgentSpec(id="w", role="dev"))
    with store.unit() as conn:
        conn.execute(
            agent_events.insert(),
            {
                "agent_id": "w",
                "seq": 2,
                "from_state": "ONBOARDING",
                "to_state": "PAUSED",
                "actor": "operator",
                "at": store.now(),
            },
        )
        conn.execute(agents.update().values(state="PAUSED", version=2))
    [difference] = verify_agents(store, MACHINE).differences
    assert (difference.agent_id, difference.what) == ("w", "event 2")
    assert "ONBOARDING -> PAUSED is not allowed" in str(difference.log)


def test_snapshot_and_list(store: Store) -> None:
    in_unit(store, register, MACHINE, AgentSpec(id="b", role="dev", skills=("x",)))
    in_unit(store, register, MACHINE, AgentSpec(id="a", role="ops"))
    in_unit(store, transition, MACHINE, "b", "IDLE")
    assert [a.id for a in list_agents(store)] == ["a", "b"]
    assert [a.id for a in list_agents(store, state="IDLE")] == ["b"]
    frame = snapshot(store)
    assert list(frame.columns) == [
        "id",
        "role",
        "state",
        "version",
        "capacity",
        "skills",
        "heartbeat_at",
        "updated_at",
    ]
    assert frame.set_index("id").loc["b", "skills"] == ["x"]
    assert frame["version"].tolist() == [1, 2]


def test_snapshot_of_an_empty_store_has_the_columns(store: Store) -> None:
    frame = snapshot(store)
    assert frame.empty and "state" in frame.columns
    with store.unit(read_only=True) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(agents)).scalar_one() == 0
