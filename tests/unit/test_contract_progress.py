"""Progress events and status changes: validation, fencing, idempotency, regressions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from swarmops.contracts import (
    ContractSpec,
    apply_contracts,
    change_status,
    contract_history,
    get_contract,
    percent_by_contract,
    record_progress,
    reject_stale,
)
from swarmops.errors import BadInput, IllegalTransition, NotFound, StaleToken
from swarmops.store import Store, in_unit
from swarmops.store.schema import fencing_rejections, progress_events
from swarmops.testing import FrozenClock, seed_owners

SPEC = ContractSpec.model_validate(
    {
        "id": "C-1",
        "title": "Work",
        "owner": "agent-1",
        "tasks": [{"id": "a", "title": "A", "weight": 3}, {"id": "b", "title": "B", "weight": 1}],
    }
)


@pytest.fixture
def contract(store: Store) -> str:
    seed_owners(store, [SPEC])
    in_unit(store, apply_contracts, [SPEC, SPEC.model_copy(update={"id": "C-2", "owner": None})])
    return SPEC.id


def count(store: Store, table: sa.Table) -> int:
    with store.unit(read_only=True) as unit:
        return unit.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_progress_starts_the_contract_and_submits_it_at_100(store: Store, contract: str) -> None:
    first = in_unit(store, record_progress, contract, "agent-1", percent=40, note="half way-ish")
    assert (first.status, first.event.percent) == ("IN_PROGRESS", 40)
    assert [c.to_status for c in first.status_changes] == ["IN_PROGRESS"]
    done = in_unit(store, record_progress, contract, "agent-1", percent=100)
    assert done.status == "REVIEW"
    assert percent_by_contract(store) == {"C-1": 100.0, "C-2": 0.0}
    history = contract_history(store, contract)
    assert [e.seq for e in history] == [1, 2, 3, 4]
    assert get_contract(store, contract).version == 4


def test_tasks_count_by_weight_and_finish_the_contract(store: Store, contract: str) -> None:
    assert in_unit(store, record_progress, contract, "agent-1", task_id="a").event.percent == 0
    assert (
        in_unit(store, record_progress, contract, "agent-1", task_id="a", done=True).event.percent
        == 75
    )
    with pytest.raises(BadInput, match="already done"):
        in_unit(store, record_progress, contract, "agent-1", task_id="a", done=True)
    last = in_unit(store, record_progress, contract, "agent-1", task_id="b", done=True)
    assert (last.event.percent, last.status) == (100, "REVIEW")
    assert all(t.done_at == store.now() for t in get_contract(store, contract).tasks)


@pytest.mark.parametrize(
    "case",
    [
        ("C-1", "agent-1", {"percent": 101}, BadInput, "less than or equal to 100"),
        ("C-1", "agent-1", {"percent": -1}, BadInput, "greater than or equal to 0"),
        ("C-1", "agent-1", {}, BadInput, "either a percent or a task"),
        ("C-1", "agent-1", {"percent": 5, "task_id": "a"}, BadInput, "either a percent or a task"),
        ("C-9", "agent-1", {"percent": 5}, NotFound, "unknown contract 'C-9'"),
        ("C-1", "agent-1", {"task_id": "zz", "done": True}, NotFound, "has no task 'zz'"),
        ("C-1", "agent-7", {"percent": 5}, BadInput, "does not hold contract 'C-1'"),
        ("C-2", "agent-1", {"percent": 5}, BadInput, r"owner: none"),
        ("C-1", "agent-1", {"percent": 5, "token": 9}, BadInput, "never issued"),
    ],
)
def test_bad_reports_are_refused_and_write_nothing(
    store: Store, contract: str, case: tuple[str, str, dict, type, str]
) -> None:
    contract_id, agent, report, error, match = case
    with pytest.raises(error, match=match):
        in_unit(store, record_progress, contract_id, agent, **report)
    assert count(store, progress_events) == 0
    assert get_contract(store, contract).status == "ASSIGNED"


def test_an_idempotency_key_makes_a_retry_one_event(store: Store, contract: str) -> None:
    first = in_unit(store, record_progress, contract, "agent-1", percent=30, key="k-1")
    again = in_unit(store, record_progress, contract, "agent-1", percent=30, key="k-1")
    assert (first.replayed, again.replayed) == (False, True)
    assert again.event == first.event
    assert count(store, progress_events) == 1
    with pytest.raises(BadInput, match="'k-1' of agent:agent-1 was already used for another"):
        in_unit(store, record_progress, "C-2", "agent-1", percent=30, key="k-1")


def test_a_key_belongs_to_its_agent(store: Store, contract: str) -> None:
    in_unit(store, change_status, "C-2", "ASSIGNED", actor="system", owner="agent-2")
    first = in_unit(store, record_progress, contract, "agent-1", percent=30, key="K")
    other = in_unit(store, record_progress, "C-2", "agent-2", percent=60, key="K")
    assert (first.replayed, other.replayed) == (False, False)
    assert (other.event.contract_id, other.event.percent) == ("C-2", 60)
    assert count(store, progress_events) == 2


def test_a_drop_is_refused_unless_allowed_then_recorded(store: Store, contract: str) -> None:
    in_unit(store, record_progress, contract, "agent-1", percent=100)
    with pytest.raises(BadInput, match=r"drop from 100 to 60.*--allow-regress"):
        in_unit(store, record_progress, contract, "agent-1", percent=60)
    back = in_unit(store, record_progress, contract, "agent-1", percent=60, allow_regress=True)
    assert back.event.regression is True
    assert back.status == "IN_PROGRESS"  # REVIEW -> IN_PROGRESS (rework)
    assert percent_by_contract(store)["C-1"] == 60


def test_a_stale_token_is_refused_and_the_refusal_kept(
    store: Store, contract: str, clock: FrozenClock
) -> None:
    assert (
        in_unit(store, record_progress, contract, "agent-1", percent=10, token=1).status
        == "IN_PROGRESS"
    )
    with store.unit() as unit:
        change_status(unit, contract, "ASSIGNED", actor="system", owner="agent-2")
        unit.execute(sa.text("UPDATE contracts SET fence_token = 2 WHERE id = 'C-1'"))
    with pytest.raises(StaleToken, match="token 1 is stale"):
        in_unit(store, record_progress, contract, "agent-1", percent=20, token=1)
    in_unit(store, reject_stale, contract, "agent-1", 1)  # what the CLI commits on refusal
    with store.unit(read_only=True) as unit:
        rejection = unit.execute(sa.select(fencing_rejections)).mappings().one()
    assert (rejection["agent_id"], rejection["token"], rejection["current_token"]) == (
        "agent-1",
        1,
        2,
    )
    assert count(store, progress_events) == 1
    assert (
        in_unit(store, record_progress, contract, "agent-2", percent=20, token=2).status
        == "IN_PROGRESS"
    )


def test_status_changes_follow_the_machine(store: Store, contract: str) -> None:
    with store.unit() as unit, pytest.raises(IllegalTransition, match="allowed from ASSIGNED"):
        change_status(unit, contract, "DONE", actor="system")
    in_unit(store, record_progress, contract, "agent-1", percent=100)
    with store.unit() as unit, pytest.raises(IllegalTransition, match="operator, system"):
        change_status(unit, contract, "DONE", actor="agent-1")
    with store.unit() as unit:
        done = change_status(unit, contract, "DONE", actor="alice", key="acc")
        again = change_status(unit, contract, "DONE", actor="alice", key="acc")
    assert again == done and get_contract(store, contract).status == "DONE"
    with pytest.raises(BadInput, match="is DONE"):
        in_unit(store, record_progress, contract, "agent-1", percent=100)
