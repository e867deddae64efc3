"""``contract apply`` and keyed ``contract progress`` raced by real processes, on SQLite
and PostgreSQL: applies of different sets leave one whole set, never a mix and never
a traceback; concurrent retries of one keyed report all return the first result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.contracts import ContractSpec, TaskSpec, apply_contracts, load_contract_files
from swarmops.store import Store, in_unit
from swarmops.store.schema import contracts, progress_events
from swarmops.testing import seed_owners
from tests.integration.races import Outcome, race

pytestmark = pytest.mark.heavy
ROUNDS = 12
RETRIES = 4


def write_set(folder: Path, name: str, ids: list[str]) -> Path:
    """A contracts folder declaring ``ids``, each titled after the set."""
    folder = folder / name
    folder.mkdir()
    for contract_id in ids:
        text = f"id: {contract_id}\ntitle: {name} {contract_id}\ntasks: [{{id: t, title: T}}]\n"
        (folder / f"{contract_id}.yaml").write_text(text)
    return folder


def live(store: Store) -> dict[str, str]:
    query = sa.select(contracts.c.id, contracts.c.title).where(contracts.c.removed_at.is_(None))
    with store.unit(read_only=True) as unit:
        return dict(unit.execute(query).all())


def assert_clean(outcome: Outcome) -> None:
    assert outcome.traceback is None, outcome.traceback
    assert (outcome.code, outcome.stderr) == (0, ""), outcome


def test_two_applies_of_different_sets_leave_one_whole_set(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    # "shared" is in every set with another title, so a mix would show in the titles too;
    # before each round the store holds a third set, so both applies have work to do
    sets = {
        "red": write_set(tmp_path, "red", ["shared", "red-1", "red-2", "red-3"]),
        "blue": write_set(tmp_path, "blue", ["shared", "blue-1", "blue-2"]),
    }
    wanted = {
        name: {p.stem: f"{name} {p.stem}" for p in folder.iterdir()}
        for name, folder in sets.items()
    }
    green = load_contract_files(write_set(tmp_path, "green", ["shared", "green-1"]))
    winners: list[str] = []

    def check(_round: int, outcomes: list[Outcome]) -> None:
        for name, outcome in zip(sets, outcomes, strict=True):
            assert_clean(outcome)
            plan = json.loads(outcome.stdout)  # what it printed is what it declared
            assert set(plan["added"] + plan["changed"] + plan["unchanged"]) == set(wanted[name])
        state = live(store)
        assert state in wanted.values(), f"a mix of the sets: {state}"
        winners.append(next(name for name, contents in wanted.items() if contents == state))
        in_unit(store, apply_contracts, green)

    in_unit(store, apply_contracts, green)
    command = ["--store-url", store_url, "contract", "apply", "--format", "json"]
    race([[[*command, str(folder)]] * ROUNDS for folder in sets.values()], check)
    assert len(winners) == ROUNDS


@pytest.fixture
def tasked(store: Store) -> str:
    tasks = tuple(TaskSpec(id=f"t{n}", title=f"T{n}") for n in range(ROUNDS))
    spec = ContractSpec(id="C-1", title="Keyed", owner="agent-1", tasks=tasks)
    seed_owners(store, [spec])
    in_unit(store, apply_contracts, [spec])
    return spec.id


def test_concurrent_retries_of_one_keyed_report_return_the_first_result(
    store: Store, store_url: str, tasked: str
) -> None:
    def check(number: int, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            assert_clean(outcome)
        results = [json.loads(outcome.stdout) for outcome in outcomes]
        assert len({json.dumps(r["event"], sort_keys=True) for r in results}) == 1
        assert sorted(r["replayed"] for r in results) == [False] + [True] * (RETRIES - 1)
        assert results[0]["event"]["task_id"] == f"t{number}"

    def report(number: int) -> list[str]:
        progress = ["contract", "progress", tasked, "--agent", "agent-1", "--format", "json"]
        return [
            "--store-url",
            store_url,
            *progress,
            "--task",
            f"t{number}",
            "--done",
            "--key",
            f"K{number}",
        ]

    race([[report(n) for n in range(ROUNDS // 2)] for _ in range(RETRIES)], check)
    with store.unit(read_only=True) as unit:
        assert unit.scalar(sa.select(sa.func.count()).select_from(progress_events)) == ROUNDS // 2
