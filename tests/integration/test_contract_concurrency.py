"""Progress under concurrent writers: one event per idempotency key, no lost update,
and a stale compare-and-set on the contract version fails loudly."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from swarmops.contracts import ContractSpec, apply_contracts, get_contract, record_progress
from swarmops.contracts.models import ContractEvent
from swarmops.contracts.status import append_event
from swarmops.errors import VersionConflict
from swarmops.store import Store, in_unit
from swarmops.store.schema import progress_events
from swarmops.testing import seed_owners

WORKERS = 4


@pytest.fixture
def contract(store: Store) -> str:
    spec = ContractSpec(id="C-1", title="t", owner="agent-1")
    seed_owners(store, [spec])
    in_unit(store, apply_contracts, [spec])
    return "C-1"


def test_one_key_from_many_threads_is_one_event(store: Store, contract: str) -> None:
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(
            pool.map(
                lambda _: in_unit(
                    store, record_progress, contract, "agent-1", percent=10, key="same"
                ),
                range(WORKERS * 2),
            )
        )
    assert len({r.event.id for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
    with store.unit(read_only=True) as unit:
        assert unit.execute(sa.select(sa.func.count()).select_from(progress_events)).scalar() == 1


def test_concurrent_reports_all_land_and_the_log_stays_dense(store: Store, contract: str) -> None:
    def report(n: int) -> None:
        in_unit(store, record_progress, contract, "agent-1", percent=50, note=str(n))

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(report, range(WORKERS * 2)))
    with store.unit(read_only=True) as unit:
        assert unit.execute(sa.select(sa.func.count()).select_from(progress_events)).scalar() == 8
    assert get_contract(store, contract).version == 3  # OPEN, ASSIGNED, IN_PROGRESS once


def test_a_stale_version_is_a_conflict(store: Store, contract: str) -> None:
    stale = ContractEvent(
        contract_id=contract,
        seq=2,
        from_status="OPEN",
        to_status="CANCELLED",
        owner=None,
        reason=None,
        actor="system",
        at=store.now(),
        idempotency_key=None,
    )
    with pytest.raises(VersionConflict, match="changed concurrently"), store.unit() as unit:
        append_event(unit, stale, expect_version=1)
    assert get_contract(store, contract).status == "ASSIGNED"
