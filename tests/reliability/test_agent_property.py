"""Random transition requests against a tiny model of the default lifecycle (hypothesis).

The model is written from the issue's prose, independently of the Machine code:
the store must end every sequence in the model's state with the model's event count.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swarmops.errors import SwarmopsError
from swarmops.fsm import (
    AgentSpec,
    agent_history,
    get_agent,
    load_agent_machine,
    register,
    transition,
    verify_agents,
)
from swarmops.store import Store, in_unit
from swarmops.testing import seed_contract

FSM = Path(__file__).resolve().parents[2] / "config" / "fsm.yaml"
LIVE = ["ONBOARDING", "IDLE", "CONTRACT_ACTIVE", "BLOCKED", "PAUSED", "ERROR", "OFFLINE"]
STATES = [*LIVE, "SHUTDOWN"]
EXPLICIT = {
    ("ONBOARDING", "IDLE"),
    ("IDLE", "CONTRACT_ACTIVE"),
    ("CONTRACT_ACTIVE", "IDLE"),
    ("CONTRACT_ACTIVE", "BLOCKED"),
    ("BLOCKED", "CONTRACT_ACTIVE"),
    ("IDLE", "PAUSED"),
    ("CONTRACT_ACTIVE", "PAUSED"),
    ("BLOCKED", "PAUSED"),
    ("PAUSED", "IDLE"),
    ("ERROR", "IDLE"),
    ("OFFLINE", "IDLE"),
    ("OFFLINE", "ONBOARDING"),  # the rejoin of an agent nobody onboarded
}
ACTORS = ["system", "operator", "alice", "self"]
_ids = itertools.count()


class Model:
    """What the issue says should happen, per request."""

    def __init__(self, has_contract: bool) -> None:
        self.state, self.events, self.has_contract = "ONBOARDING", 1, has_contract
        self.keys: dict[str, str] = {}

    def allows(self, target: str, actor: str) -> bool:
        if self.state == "SHUTDOWN" or target == self.state or target not in STATES:
            return False
        if target == "OFFLINE":
            return actor == "system"
        if target == "CONTRACT_ACTIVE" and self.state == "IDLE" and not self.has_contract:
            return False
        return target in ("ERROR", "SHUTDOWN") or (self.state, target) in EXPLICIT

    def apply(self, target: str, actor: str, key: str | None) -> bool:
        if key is not None and key in self.keys:
            return False
        if not self.allows(target, actor):
            return False
        self.state, self.events = target, self.events + 1
        if key is not None:
            self.keys[key] = target
        return True


requests = st.lists(
    st.tuples(
        st.sampled_from([*STATES, "LIMBO"]),
        st.sampled_from(ACTORS),
        st.one_of(st.none(), st.sampled_from(["k1", "k2", "k3"])),
    ),
    max_size=15,
)


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(has_contract=st.booleans(), steps=requests)
def test_random_requests_match_the_model(
    store: Store, has_contract: bool, steps: list[tuple[str, str, str | None]]
) -> None:
    machine = load_agent_machine(FSM)
    agent_id = f"p{next(_ids)}"
    in_unit(store, register, machine, AgentSpec(id=agent_id, role="dev"))
    if has_contract:
        seed_contract(store, f"c-{agent_id}", agent_id, "IN_PROGRESS")
    model = Model(has_contract)
    for target, actor, key in steps:
        scoped = None if key is None else f"{agent_id}-{key}"
        expected = model.apply(target, actor, scoped)
        who = agent_id if actor == "self" else actor
        try:
            moved = not in_unit(
                store, transition, machine, agent_id, target, actor=who, key=scoped
            ).replayed
        except SwarmopsError:
            moved = False
        assert moved == expected, (model.state, target, actor, key)
    agent = get_agent(store, agent_id)
    assert (agent.state, agent.version) == (model.state, model.events)
    assert len(agent_history(store, agent_id)) == model.events
    assert verify_agents(store, machine).ok
