"""The contract statements every write path shares, and the reads behind them."""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.contracts.models import Contract, ContractEvent, ContractTask
from swarmops.errors import NotFound
from swarmops.store.schema import contract_events, contract_tasks, contracts

SELECT_CONTRACT = sa.select(contracts).where(contracts.c.id == sa.bindparam("b_id"))
SELECT_TASKS = (
    sa.select(contract_tasks)
    .where(contract_tasks.c.contract_id == sa.bindparam("b_id"))
    .order_by(contract_tasks.c.position)
)
SELECT_EVENT_BY_KEY = sa.select(contract_events).where(
    contract_events.c.idempotency_key == sa.bindparam("b_key")
)
COMPARE_AND_SET = (
    contracts.update()
    .where(contracts.c.id == sa.bindparam("b_id"), contracts.c.version == sa.bindparam("b_version"))
    .values(
        status=sa.bindparam("b_status"),
        owner=sa.bindparam("b_owner"),
        version=sa.bindparam("b_next"),
        updated_at=sa.bindparam("b_at"),
    )
)


def fetch_contract(conn: sa.Connection, contract_id: str, *, lock: bool = False) -> Contract:
    """The contract with its tasks, or NotFound; ``lock`` holds its row on PostgreSQL."""
    statement = SELECT_CONTRACT.with_for_update() if lock else SELECT_CONTRACT
    row = conn.execute(statement, {"b_id": contract_id}).mappings().first()
    if row is None:
        raise NotFound(f"unknown contract {contract_id!r}")
    tasks = conn.execute(SELECT_TASKS, {"b_id": contract_id}).mappings().all()
    return Contract.with_tasks(row, [ContractTask.from_row(t) for t in tasks])


def fetch_event_by_key(conn: sa.Connection, key: str) -> ContractEvent | None:
    row = conn.execute(SELECT_EVENT_BY_KEY, {"b_key": key}).mappings().first()
    return None if row is None else ContractEvent.from_row(row)
