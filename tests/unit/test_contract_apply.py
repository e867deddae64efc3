"""Contract files and apply: the schema, every bad input, plan, all-or-nothing, removal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from swarmops.contracts import (
    ContractSpec,
    apply_contracts,
    contract_history,
    get_contract,
    list_contracts,
    load_contract_files,
    plan_contracts,
)
from swarmops.contracts import apply as apply_module
from swarmops.errors import InvalidDefinition, NotFound
from swarmops.store import Store, Unit
from swarmops.store.schema import assignments, contracts
from swarmops.testing import seed_agent

CONFIG = Path(__file__).parents[2] / "config" / "contracts"


@pytest.fixture
def store(store: Store) -> Store:
    """The store with the roster's agents: a contract's owner must be a registered agent."""
    for number in range(1, 9):
        seed_agent(store, f"agent-{number}", "dev")
    return store


GOOD = """id: C-1
title: A contract
owner: agent-1
priority: high
due: 2026-02-01T17:00:00Z
tasks:
  - {id: a, title: First, weight: 2}
  - {id: b, title: Second}
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_contracts_load() -> None:
    specs = load_contract_files(CONFIG)
    assert [s.id for s in specs] == ["C-101", "C-102", "C-103", "C-104", "C-105"]
    assert specs[0].tasks[0].weight == 3


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        (GOOD.replace("title: A contract\n", ""), "title", "Field required"),
        (GOOD.replace("priority: high", "priority: urgent"), "priority", "should be"),
        (GOOD.replace("weight: 2", "weight: 0"), "tasks.0.weight", "greater than 0"),
        (GOOD.replace("T17:00:00Z", "T17:00:00"), "due", "timezone"),
        (GOOD.replace("id: b,", "id: a,"), "tasks", "duplicate task id"),
        (GOOD + "colour: red\n", "colour", "Extra inputs"),
        (GOOD.replace("id: C-1", "id: 'bad id!'"), "id", "not an identifier"),
        ("- just\n- a list\n", "contract", "must be a mapping"),
        ("id: [unclosed\n", "contract", "cannot read"),
    ],
)
def test_a_bad_file_names_file_field_and_reason(
    tmp_path: Path, text: str, field: str, reason: str
) -> None:
    write(tmp_path, "ok.yaml", GOOD.replace("C-1", "C-0"))
    write(tmp_path, "bad.yaml", text)
    with pytest.raises(InvalidDefinition) as caught:
        load_contract_files(tmp_path)
    message = caught.value.message
    assert "bad.yaml" in message
    assert field in message or field == "contract"
    assert reason in message


def test_a_duplicate_id_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD)
    with pytest.raises(
        InvalidDefinition, match=r"b\.yaml: id: 'C-1' is already declared in .*a\.yaml"
    ):
        load_contract_files(tmp_path)


def test_a_missing_folder_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="contracts folder not found"):
        load_contract_files(tmp_path / "nope")


def test_apply_plans_then_converges(store: Store) -> None:
    specs = load_contract_files(CONFIG)
    with store.unit(read_only=True) as unit:
        assert plan_contracts(unit, specs).added == tuple(s.id for s in specs)
    with store.unit() as unit:
        plan = apply_contracts(unit, specs)
    assert len(plan.added) == 5 and plan.changes == 5
    owned = get_contract(store, "C-101")
    assert (owned.status, owned.owner, owned.fence_token, owned.version) == (
        "ASSIGNED",
        "agent-2",
        1,
        2,
    )
    assert [e.to_status for e in contract_history(store, "C-101")] == ["OPEN", "ASSIGNED"]
    assert get_contract(store, "C-103").status == "OPEN"
    with store.unit() as unit:
        again = apply_contracts(unit, specs)
    assert again.unchanged == tuple(s.id for s in specs) and again.changes == 0
    with store.unit(read_only=True) as unit:
        rows = unit.execute(sa.select(assignments.c.contract_id, assignments.c.fence_token)).all()
    assert sorted(rows) == [("C-101", 1), ("C-102", 1), ("C-105", 1)]


def test_apply_changes_removes_and_restores(store: Store) -> None:
    specs = load_contract_files(CONFIG)
    with store.unit() as unit:
        apply_contracts(unit, specs)
    edited = [specs[0].model_copy(update={"title": "Renamed", "owner": "agent-4"}), *specs[1:4]]
    with store.unit() as unit:
        plan = apply_contracts(unit, edited)
    assert (plan.changed, plan.removed) == (("C-101",), ("C-105",))
    renamed = get_contract(store, "C-101")
    assert (renamed.title, renamed.owner, renamed.fence_token) == ("Renamed", "agent-4", 2)
    assert "C-105" not in [c.id for c in list_contracts(store)]
    assert get_contract(store, "C-105").removed_at == store.now()
    with store.unit() as unit:
        restored = apply_contracts(unit, specs)
    assert restored.added == ("C-105",)
    assert get_contract(store, "C-105").removed_at is None


def test_an_owner_that_is_no_agent_refuses_the_whole_set(store: Store) -> None:
    specs = [*load_contract_files(CONFIG), ContractSpec(id="C-9", title="t", owner="nobody")]
    refused = pytest.raises(InvalidDefinition, match="C-9: owner 'nobody' is not a registered")
    with refused, store.unit() as unit:
        apply_contracts(unit, specs)
    with store.unit(read_only=True) as unit:
        assert unit.execute(sa.select(sa.func.count()).select_from(contracts)).scalar() == 0


def test_apply_is_all_or_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    specs = load_contract_files(CONFIG)
    calls = []

    def failing_insert(unit: Unit, spec: Any) -> None:
        calls.append(spec)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        original(unit, spec)

    original = apply_module._insert
    monkeypatch.setattr(apply_module, "_insert", failing_insert)
    with pytest.raises(RuntimeError), store.unit() as unit:
        apply_contracts(unit, specs)
    with store.unit(read_only=True) as unit:
        assert unit.execute(sa.select(sa.func.count()).select_from(contracts)).scalar() == 0
