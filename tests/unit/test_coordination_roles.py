"""Failover and assignment read the machine's roles, never its state names; a heartbeat
racing a failover sweep reports only what the store committed. Both databases."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from swarmops.contracts import ContractSpec, apply_contracts, get_contract
from swarmops.coordination import assign, failover, recv
from swarmops.fsm import (
    AgentSpec,
    get_agent,
    heartbeat,
    load_agent_machine,
    offline_state,
    register,
    rejoin_state,
    transition,
)
from swarmops.settings import CoordinationSettings
from swarmops.store import in_unit, open_store

FSM = Path(__file__).parents[2] / "config" / "fsm.yaml"
POLICY = CoordinationSettings(heartbeat_timeout_s=300, lease_s=60)
RENAMES = {"OFFLINE": "AWAY", "IDLE": "READY"}


@pytest.fixture
def renamed(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A copy of config/fsm.yaml with OFFLINE -> AWAY and IDLE -> READY everywhere
    (states, roles, transitions)."""
    text = FSM.read_text(encoding="utf-8")
    for old, new in RENAMES.items():
        text = text.replace(old, new)
    path = tmp_path / "fsm.yaml"
    path.write_text(text, encoding="utf-8")
    machine = load_agent_machine(path)
    assert (offline_state(machine), rejoin_state(machine)) == ("AWAY", "READY")
    assert not {"OFFLINE", "IDLE"} & set(machine.states)
    return machine


def test_renamed_states_leave_assignment_and_failover_working(store, clock, renamed) -> None:
    for agent_id in ("x", "y"):
        spec = AgentSpec(id=agent_id, role="dev", capacity=1, skills=("sql",))
        in_unit(store, register, renamed, spec)
        in_unit(store, transition, renamed, agent_id, "READY", actor=agent_id)
    in_unit(store, apply_contracts, [ContractSpec(id="C-1", title="t", required_skills=("sql",))])
    made = in_unit(store, assign, renamed, POLICY)
    assert [(a.contract_id, a.agent_id) for a in made.assignments] == [("C-1", "x")]
    clock.advance(POLICY.heartbeat_timeout_s + 1)
    in_unit(store, heartbeat, renamed, "y")
    report = in_unit(store, failover, renamed, POLICY)
    assert [(o.agent_id, o.from_state) for o in report.offline] == [("x", "READY")]
    assert get_agent(store, "x").state == "AWAY"
    assert [a.agent_id for a in report.reassignment.assignments] == ["y"]
    assert get_contract(store, "C-1").owner == "y"
    [handoff] = in_unit(store, recv, "y", lease_s=60)
    assert (handoff.body["kind"], handoff.body["previous_owner"]) == ("handoff", "x")
    back = in_unit(store, heartbeat, renamed, "x")  # AWAY -> READY: the rejoin role
    assert back.state == "READY" == get_agent(store, "x").state
    assert in_unit(store, failover, renamed, POLICY).alerts_resolved == 1


ROUNDS = 30


def test_a_heartbeat_racing_a_sweep_reports_only_committed_states(
    store, store_url: str, clock
) -> None:
    """Each round the agent is stale and a heartbeat and a sweep start together. Either
    the heartbeat commits first (the sweep then finds it fresh) or the sweep does (the
    heartbeat's compare-and-set loses, it reads the offline state and rejoins): the
    state the heartbeat reports is the agent's committed state, every round."""
    machine = load_agent_machine(FSM)
    spec = AgentSpec(id="a", role="dev", capacity=1, skills=())
    in_unit(store, register, machine, spec)
    in_unit(store, transition, machine, "a", "IDLE", actor="a")
    stores = [open_store(store_url, clock) for _ in range(2)]
    reported: list[str] = []
    try:
        for _ in range(ROUNDS):
            clock.advance(POLICY.heartbeat_timeout_s + 1)
            reported.append(_race(stores, machine))
            assert reported[-1] == get_agent(store, "a").state == rejoin_state(machine)
    finally:
        for opened in stores:
            opened.dispose()
    assert set(reported) == {"IDLE"}


def _race(stores, machine) -> str:  # type: ignore[no-untyped-def]
    """Start a heartbeat and a sweep at one barrier; the state the heartbeat reported."""
    start = threading.Barrier(2)
    beat: list[str] = []
    errors: list[BaseException] = []

    def run(work) -> None:  # type: ignore[no-untyped-def]
        start.wait()
        try:
            work()
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(lambda: beat.append(_beat(stores[0], machine)),)),
        threading.Thread(target=run, args=(lambda: in_unit(stores[1], failover, machine, POLICY),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return beat[0]


def _beat(store, machine) -> str:  # type: ignore[no-untyped-def]
    return in_unit(store, heartbeat, machine, "a").state
