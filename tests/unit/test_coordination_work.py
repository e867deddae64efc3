"""Assignment, fencing and failover on SQLite and PostgreSQL, with frozen time."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.contracts import (
    ContractSpec,
    apply_contracts,
    get_contract,
    record_progress,
    reject_stale,
)
from swarmops.coordination import (
    AgentSlot,
    OpenWork,
    SendRequest,
    ack,
    assign,
    failover,
    keep_refusal,
    plan_assignments,
    recv,
    rehearse,
    send,
)
from swarmops.errors import LeaseLost, StaleToken
from swarmops.fsm import (
    AgentSpec,
    agent_history,
    heartbeat,
    load_agent_machine,
    register,
    transition,
)
from swarmops.settings import CoordinationSettings
from swarmops.store import in_unit, open_store
from swarmops.store.schema import alerts, assignments, fencing_rejections

MACHINE = load_agent_machine(Path(__file__).parents[2] / "config" / "fsm.yaml")
POLICY = CoordinationSettings(heartbeat_timeout_s=300, lease_s=60)
DUE = datetime(2026, 3, 1, tzinfo=UTC)


def slot(agent_id: str, skills: str, capacity: int = 2, load: int = 0) -> AgentSlot:
    return AgentSlot(id=agent_id, skills=frozenset(skills.split()), capacity=capacity, load=load)


def work(contract_id: str, skills: str, priority: str = "medium", due=None) -> OpenWork:  # type: ignore[no-untyped-def]
    return OpenWork(
        id=contract_id,
        title=contract_id,
        priority=priority,
        due=due,
        required_skills=frozenset(skills.split()),
    )


class TestPlanner:
    def test_urgent_work_goes_first_to_the_least_loaded_capable_agent(self) -> None:
        slots = [slot("a", "py sql", capacity=2, load=1), slot("b", "py", capacity=4, load=1)]
        todo = [work("low", "py", "low"), work("crit", "py", "critical"), work("db", "sql")]
        planned, left = plan_assignments(todo, slots)
        pairs = [(p.contract_id, p.agent_id) for p in planned]
        assert pairs == [("crit", "b"), ("db", "a"), ("low", "b")]
        assert left == []

    def test_due_date_breaks_priority_ties_and_full_or_unskilled_work_stays_open(self) -> None:
        todo = [work("later", "py", due=DUE.replace(month=4)), work("sooner", "py", due=DUE)]
        todo += [work("rust", "rust")]
        planned, left = plan_assignments(todo, [slot("a", "py", capacity=1)])
        assert [p.contract_id for p in planned] == ["sooner"]
        assert [(u.contract_id, u.reason) for u in left] == [
            ("later", "capable agents are full"),
            ("rust", "no available agent has the skills"),
        ]

    def test_the_same_input_in_any_order_gives_the_same_plan(self) -> None:
        slots = [slot(f"a{n}", "py sql", capacity=n % 3 + 1, load=n % 2) for n in range(6)]
        todo = [work(f"c{n}", "py", ["low", "high"][n % 2], DUE) for n in range(9)]
        expected = plan_assignments(todo, slots)
        for seed in range(5):
            random.Random(seed).shuffle(todo)
            random.Random(seed + 1).shuffle(slots)
            assert plan_assignments(todo, slots) == expected


@pytest.fixture
def swarm(store, clock):  # type: ignore[no-untyped-def]
    """Agent x (python, sql) IDLE; y (python) and z (sql) registered but still ONBOARDING;
    contracts C-1 (python) and C-2 (sql) OPEN."""
    for agent_id, skills in [("x", ("python", "sql")), ("y", ("python",)), ("z", ("sql",))]:
        spec = AgentSpec(id=agent_id, role="dev", capacity=2, skills=skills)
        in_unit(store, register, MACHINE, spec)
    onboard(store, "x")
    specs = [
        ContractSpec(id="C-1", title="one", required_skills=("python",), priority="high"),
        ContractSpec(id="C-2", title="two", required_skills=("sql",), due=DUE),
    ]
    in_unit(store, apply_contracts, specs)
    return store


def onboard(store, agent_id: str) -> None:  # type: ignore[no-untyped-def]
    in_unit(store, transition, MACHINE, agent_id, "IDLE", actor=agent_id)
    in_unit(store, heartbeat, MACHINE, agent_id)


def count(store, table: sa.Table) -> int:  # type: ignore[no-untyped-def]
    with store.unit(read_only=True) as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


class TestAssign:
    def test_assignment_fences_moves_and_tells_the_owner_once(self, swarm) -> None:
        with swarm.unit(read_only=True) as unit:
            assert assign(unit, MACHINE, POLICY, dry_run=True).assigned == 2
        assert count(swarm, assignments) == 0
        report = in_unit(swarm, assign, MACHINE, POLICY)
        assert [(a.contract_id, a.agent_id, a.token) for a in report.assignments] == [
            ("C-1", "x", 1),
            ("C-2", "x", 1),
        ]
        contract = get_contract(swarm, "C-1")
        assert (contract.status, contract.owner, contract.fence_token) == ("ASSIGNED", "x", 1)
        bodies = [m.body for m in in_unit(swarm, recv, "x", max_messages=5, lease_s=60)]
        assert [(b["kind"], b["contract_id"], b["token"]) for b in bodies] == [
            ("assignment", "C-1", 1),
            ("assignment", "C-2", 1),
        ]
        assert in_unit(swarm, assign, MACHINE, POLICY).assigned == 0
        assert count(swarm, assignments) == 2

    def test_only_idle_or_active_agents_with_room_get_work(self, swarm) -> None:
        in_unit(swarm, transition, MACHINE, "x", "PAUSED", actor="x")
        report = in_unit(swarm, assign, MACHINE, POLICY)
        assert report.assigned == 0
        assert {u.contract_id for u in report.unassigned} == {"C-1", "C-2"}


class TestConcurrentRuns:
    def test_simultaneous_assign_and_failover_runs_assign_each_contract_once(
        self, swarm, store_url, clock
    ) -> None:
        onboard(swarm, "y")
        onboard(swarm, "z")
        stores = [open_store(store_url, clock) for _ in range(4)]
        runs = [
            lambda s: in_unit(s, assign, MACHINE, POLICY).assigned,
            lambda s: in_unit(s, failover, MACHINE, POLICY).reassignment.assigned,
        ]
        with ThreadPoolExecutor(4) as pool:
            made = list(pool.map(lambda n: runs[n % 2](stores[n]), range(4)))
        for opened in stores:
            opened.dispose()
        assert sum(made) == 2
        with swarm.unit(read_only=True) as conn:
            rows = conn.execute(sa.select(assignments.c.contract_id, assignments.c.fence_token))
            assert sorted(rows) == [("C-1", 1), ("C-2", 1)]


class TestFailover:
    def test_a_silent_agent_s_two_contracts_move_to_capable_agents_with_handoffs(
        self, swarm, clock
    ) -> None:
        in_unit(swarm, assign, MACHINE, POLICY)
        in_unit(swarm, record_progress, "C-1", "x", percent=40, note="half way", token=1)
        onboard(swarm, "y")
        onboard(swarm, "z")
        clock.advance(POLICY.heartbeat_timeout_s - 1)
        assert in_unit(swarm, failover, MACHINE, POLICY).failovers == 0
        clock.advance(2)
        in_unit(swarm, heartbeat, MACHINE, "y")
        in_unit(swarm, heartbeat, MACHINE, "z")
        report = in_unit(swarm, failover, MACHINE, POLICY)
        assert [(o.agent_id, o.released_contracts) for o in report.offline] == [
            ("x", ["C-1", "C-2"])
        ]
        owners = {c: get_contract(swarm, c).owner for c in ("C-1", "C-2")}
        assert owners == {"C-1": "y", "C-2": "z"}
        [handoff] = in_unit(swarm, recv, "y", lease_s=60)
        assert handoff.body["kind"] == "handoff" and handoff.body["previous_owner"] == "x"
        assert handoff.body["token"] == get_contract(swarm, "C-1").fence_token == 3
        assert handoff.body["last_progress"]["percent"] == 40
        [other] = in_unit(swarm, recv, "z", lease_s=60)
        assert (other.body["contract_id"], other.body["last_progress"]) == ("C-2", None)
        last = agent_history(swarm, "x")[-1]
        assert (last.to_state, last.actor) == ("OFFLINE", "system")
        assert "no heartbeat for 301s" in (last.reason or "")
        again = in_unit(swarm, failover, MACHINE, POLICY)
        assert (again.failovers, again.reassignment.assigned, again.alerts_raised) == (0, 0, 0)
        assert again.dead_lettered == 0

    def test_a_sweep_dead_letters_messages_past_their_ttl(self, swarm, clock) -> None:
        in_unit(swarm, send, SendRequest(sender="ops", to="x", body={}, ttl_s=10), POLICY)
        clock.advance(10)
        report = in_unit(swarm, failover, MACHINE, POLICY)
        assert (report.failovers, report.dead_lettered) == (0, 1)

    def test_fencing_refuses_the_old_owner_and_accepts_the_new(self, swarm, clock) -> None:
        in_unit(swarm, assign, MACHINE, POLICY)
        old_messages = in_unit(swarm, recv, "x", max_messages=5, lease_s=600)
        onboard(swarm, "y")
        onboard(swarm, "z")
        clock.advance(POLICY.heartbeat_timeout_s + 1)
        in_unit(swarm, heartbeat, MACHINE, "y")
        in_unit(swarm, heartbeat, MACHINE, "z")
        in_unit(swarm, failover, MACHINE, POLICY)
        with pytest.raises(StaleToken):
            in_unit(swarm, record_progress, "C-1", "x", percent=90, token=1)
        in_unit(swarm, reject_stale, "C-1", "x", 1)
        with pytest.raises(LeaseLost):
            keep_refusal(swarm, ack, old_messages[0].id, old_messages[0].lease_token)
        assert count(swarm, fencing_rejections) == 2
        [handoff] = in_unit(swarm, recv, "y", lease_s=60)
        token = handoff.body["token"]
        assert (
            in_unit(swarm, record_progress, "C-1", "y", percent=60, token=token).status
            == "IN_PROGRESS"
        )
        assert in_unit(swarm, ack, handoff.id, handoff.lease_token).status == "acked"

    def test_dry_run_changes_nothing_and_alerts_open_once_until_the_agent_returns(
        self, swarm, clock
    ) -> None:
        in_unit(swarm, assign, MACHINE, POLICY)
        clock.advance(POLICY.heartbeat_timeout_s + 1)
        rehearsal = rehearse(swarm, failover, MACHINE, POLICY).as_dry_run()
        # y and z never beat since they registered, but nobody onboarded them: not silent
        assert rehearsal.dry_run and [o.agent_id for o in rehearsal.offline] == ["x"]
        assert rehearsal.reassignment.assigned == 0
        assert get_contract(swarm, "C-1").owner == "x" and count(swarm, alerts) == 0
        report = in_unit(swarm, failover, MACHINE, POLICY)
        assert (report.alerts_raised, get_contract(swarm, "C-1").status) == (1, "OPEN")
        assert in_unit(swarm, failover, MACHINE, POLICY).alerts_raised == 0
        in_unit(swarm, heartbeat, MACHINE, "x")  # back: OFFLINE -> IDLE
        back = in_unit(swarm, failover, MACHINE, POLICY)
        assert back.alerts_resolved == 1
        assert [a.contract_id for a in back.reassignment.assignments] == ["C-1", "C-2"]
