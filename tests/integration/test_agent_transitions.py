"""Agent transitions on SQLite and PostgreSQL: every legal move of the default machine,
every kind of illegal one, the claim guard and actor resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from swarmops.errors import IllegalTransition, NotFound
from swarmops.fsm import (
    agent_history,
    get_agent,
    heartbeat,
    load_agent_machine,
    register,
    transition,
    verify_agents,
)
from swarmops.fsm.models import AgentSpec
from swarmops.store import Store, in_unit
from swarmops.testing import agent_in_state, seed_contract

MACHINE = load_agent_machine(Path(__file__).resolve().parents[2] / "config" / "fsm.yaml")


def test_every_legal_transition_of_the_default_machine(store: Store) -> None:
    assert len(MACHINE.transitions) == 31
    for n, move in enumerate(MACHINE.transitions):
        before = agent_in_state(store, MACHINE, f"a{n}", move.source)
        actor = "system" if move.actors == {"system"} else "operator"
        result = in_unit(store, transition, MACHINE, f"a{n}", move.target, actor=actor, reason="r")
        assert (result.agent.state, result.agent.version) == (move.target, before.version + 1)
        assert (result.event.from_state, result.event.to_state) == (move.source, move.target)
        assert (result.event.actor, result.event.reason, result.replayed) == (actor, "r", False)
        assert get_agent(store, f"a{n}") == result.agent
        assert agent_history(store, f"a{n}")[-1] == result.event
    assert verify_agents(store, MACHINE).ok


@pytest.mark.parametrize(
    ("state", "target", "actor", "expected"),
    [
        ("IDLE", "IDLE", "operator", (IllegalTransition, "already in IDLE")),
        ("ONBOARDING", "PAUSED", "operator", (IllegalTransition, "allowed from ONBOARDING: IDLE")),
        ("SHUTDOWN", "IDLE", "operator", (IllegalTransition, "allowed from SHUTDOWN: none")),
        ("IDLE", "OFFLINE", "operator", (IllegalTransition, "reserved for system")),
        ("IDLE", "OFFLINE", "x", (IllegalTransition, "'x' acts as operator")),
        ("IDLE", "OFFLINE", "x-agent", (IllegalTransition, "acts as agent")),
        ("IDLE", "NAPPING", "operator", (NotFound, "unknown state 'NAPPING'")),
    ],
)
def test_illegal_transitions_change_nothing(
    store: Store, state: str, target: str, actor: str, expected: tuple[type[Exception], str]
) -> None:
    before = agent_in_state(store, MACHINE, "x-agent", state)
    log = agent_history(store, "x-agent")
    with pytest.raises(expected[0], match=expected[1]):
        in_unit(store, transition, MACHINE, "x-agent", target, actor=actor)
    assert (get_agent(store, "x-agent"), agent_history(store, "x-agent")) == (before, log)


def test_unknown_agent_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="unknown agent 'ghost'"):
        in_unit(store, transition, MACHINE, "ghost", "IDLE")
    with pytest.raises(NotFound):
        in_unit(store, heartbeat, MACHINE, "ghost")


CLAIMS = [
    ("ASSIGNED", {}, True),
    ("IN_PROGRESS", {}, True),
    ("REVIEW", {}, True),
    ("BLOCKED", {}, True),
    ("DONE", {}, False),
    ("OPEN", {}, False),
    ("ASSIGNED", {"removed": True}, False),
    ("ASSIGNED", {"owner": "someone-else"}, False),
]


def test_claim_needs_an_assigned_contract(store: Store) -> None:
    for n, (status, change, allowed) in enumerate(CLAIMS):
        agent_id = f"w{n}"
        in_unit(store, register, MACHINE, AgentSpec(id=agent_id, role="dev"))
        in_unit(store, transition, MACHINE, agent_id, "IDLE")
        removed = {"removed_at": store.now()} if change.get("removed") else {}
        seed_contract(store, f"c{n}", str(change.get("owner", agent_id)), status, **removed)
        if allowed:
            assert (
                in_unit(store, transition, MACHINE, agent_id, "CONTRACT_ACTIVE").agent.version == 3
            )
            continue
        with pytest.raises(IllegalTransition, match="guard has_assigned_contract does not hold"):
            in_unit(store, transition, MACHINE, agent_id, "CONTRACT_ACTIVE")
        assert get_agent(store, agent_id).state == "IDLE", (status, change)


def test_actors_are_resolved_and_logged(store: Store) -> None:
    agent_in_state(store, MACHINE, "w", "IDLE")
    with pytest.raises(IllegalTransition, match="'w' acts as agent"):
        in_unit(store, transition, MACHINE, "w", "OFFLINE", actor="w")
    assert (
        in_unit(store, transition, MACHINE, "w", "OFFLINE", actor="system").event.actor == "system"
    )
    assert in_unit(store, transition, MACHINE, "w", "IDLE", actor="w").event.actor == "w"
    assert in_unit(store, transition, MACHINE, "w", "PAUSED", actor="alice").event.actor == "alice"
    assert in_unit(store, transition, MACHINE, "w", "IDLE").event.actor == "operator"
