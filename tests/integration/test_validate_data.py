"""Great Expectations suites over the store: clean data passes, a planted bad row fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from swarmops.contracts import apply_contracts, load_contract_files, record_progress
from swarmops.store import Store, in_unit, open_store
from swarmops.store.schema import contract_tasks, progress_events
from swarmops.testing import FrozenClock, seed_agent
from swarmops.validation import validate_store

CONFIG = Path(__file__).parents[2] / "config"


@pytest.fixture(scope="session")
def gx() -> Any:
    """One GX context for the session: building contexts is the slow part of GX."""
    from swarmops.validation.suites import gx_context

    return gx_context()


def seed(store: Store) -> None:
    for number in range(1, 9):
        seed_agent(store, f"agent-{number}", "worker")
    in_unit(store, apply_contracts, load_contract_files(CONFIG / "contracts"))
    in_unit(store, record_progress, "C-101", "agent-2", percent=25, key="p-1")
    in_unit(store, record_progress, "C-102", "agent-5", task_id="hook", done=True)


def plant(store: Store, table: sa.Table, **row: Any) -> None:
    with store.unit() as unit:
        unit.execute(table.insert().values(**row))


def test_clean_data_passes(store: Store, gx: Any) -> None:
    seed(store)
    report = validate_store(store, gx)
    assert report.success, report.failures()
    assert [s.name for s in report.suites] == ["progress_events", "contracts", "contract_tasks"]
    assert report.suites[0].rows == 2


def test_planted_bad_rows_fail_by_name(store: Store, gx: Any, clock: FrozenClock) -> None:
    seed(store)
    late = clock.now().replace(year=2030)
    ghost = {"contract_id": "C-101", "agent_id": "ghost", "percent": 150.0, "at": late}
    plant(store, progress_events, **ghost, idempotency_key=None, regression=False)
    plant(store, contract_tasks, contract_id="C-103", task_id="zero", title="z", weight=0.0)
    report = validate_store(store, gx)
    assert not report.success
    failed = {(f.suite, f.expectation, f.column) for f in report.failures()}
    assert failed == {
        ("progress_events", "expect_column_values_to_be_in_set", "agent_id"),
        ("progress_events", "expect_column_values_to_be_between", "percent"),
        ("progress_events", "expect_column_values_to_be_between", "at"),
        ("contract_tasks", "expect_column_values_to_be_between", "weight"),
    }
    percent = next(f for f in report.failures() if f.column == "percent")
    assert (percent.unexpected_count, percent.sample) == (1, ("150.0",))


@pytest.mark.slow
def test_the_command_exits_1_naming_the_failures(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    store = open_store(url, FrozenClock(), create=True)
    seed(store)
    plant(store, contract_tasks, contract_id="C-103", task_id="zero", title="z", weight=-1.0)
    store.dispose()
    run = subprocess.run(
        [sys.executable, "-m", "swarmops", "--store-url", url, "validate", "data"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "FAILED contract_tasks: expect_column_values_to_be_between on weight" in run.stdout
