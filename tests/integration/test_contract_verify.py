"""``contract verify``: the contract log replays to its projection, and each kind of
tampering (projection, a lost event, a move its actor may not make) is named."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.bootstrap import initialise
from swarmops.cli import main
from swarmops.contracts import verify_contracts
from swarmops.settings import load_settings
from swarmops.store import Store, open_store
from swarmops.store.schema import contract_events, contracts

CONFIG = Path(__file__).resolve().parents[2] / "config" / "swarmops.yaml"


@pytest.fixture
def applied(store_url: str) -> Iterator[Store]:
    initialise(load_settings(CONFIG, store_url=store_url))
    store = open_store(store_url, migrate=False)
    yield store
    store.dispose()


def found(store: Store) -> set[tuple[str, str, object, object]]:
    report = verify_contracts(store)
    assert report.ok is not bool(report.differences)
    return {(d.contract_id, d.what, d.projection, d.log) for d in report.differences}


def test_an_applied_swarm_replays_clean(applied: Store) -> None:
    report = verify_contracts(applied)
    assert report.ok and (report.contracts, report.events) == (5, 8)


def test_a_projection_changed_behind_the_log_is_named(applied: Store) -> None:
    with applied.unit() as unit:
        unit.execute(sa.update(contracts).where(contracts.c.id == "C-103").values(status="DONE"))
    assert found(applied) == {("C-103", "status", "DONE", "OPEN")}


def test_a_lost_event_breaks_the_sequence(applied: Store) -> None:
    with applied.unit() as unit:
        first = sa.and_(contract_events.c.contract_id == "C-101", contract_events.c.seq == 1)
        unit.execute(sa.delete(contract_events).where(first))
    assert found(applied) == {
        ("C-101", "event 2", None, "sequence number 2 where 1 was expected"),
        ("C-101", "version", 2, 1),
    }


def test_a_move_its_actor_may_not_make_is_named(applied: Store) -> None:
    event = {"contract_id": "C-103", "seq": 2, "from_status": "OPEN", "to_status": "ASSIGNED"}
    event |= {"owner": "agent-1", "actor": "agent-1", "at": datetime.now(UTC)}
    with applied.unit() as unit:
        unit.execute(sa.insert(contract_events).values(**event))
        move = {"status": "ASSIGNED", "owner": "agent-1", "version": 2}
        unit.execute(sa.update(contracts).where(contracts.c.id == "C-103").values(**move))
    assert found(applied) == {("C-103", "event 2", None, "assign taken by 'agent-1' (agent)")}


def test_the_command_exits_1_on_a_difference(
    applied: Store, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def run() -> int:
        try:
            main(["--config", str(CONFIG), "--store-url", store_url, "contract", "verify"])
        except SystemExit as exc:
            return int(exc.code or 0)
        return 0

    assert (
        run() == 0 and "log and projection agree: 5 contracts, 8 events" in capsys.readouterr().out
    )
    with applied.unit() as unit:
        unit.execute(sa.update(contracts).where(contracts.c.id == "C-104").values(version=9))
    assert run() == 1 and "C-104" in capsys.readouterr().out
