"""The contract statements every write path shares, and the reads behind them."""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.contracts.models import Contract, ContractTask
from swarmops.errors import NotFound
from swarmops.store import Unit
from swarmops.store.schema import contract_tasks, contracts
from swarmops.store.sql.contracts import LOCK_CONTRACT

SELECT_CONTRACT = sa.select(contracts).where(contracts.c.id == sa.bindparam("b_id"))
SELECT_TASKS = (
    sa.select(contract_tasks)
    .where(contract_tasks.c.contract_id == sa.bindparam("b_id"))
    .order_by(contract_tasks.c.position)
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


def fetch_contract(unit: Unit, contract_id: str, *, lock: bool = False) -> Contract:
    """The contract with its tasks, or NotFound; ``lock`` holds its row until the unit ends."""
    params = {"b_id": contract_id}
    found = unit.run(LOCK_CONTRACT, params) if lock else unit.execute(SELECT_CONTRACT, params)
    row = found.mappings().first()
    if row is None:
        raise NotFound(f"unknown contract {contract_id!r}")
    tasks = unit.execute(SELECT_TASKS, params).mappings().all()
    return Contract.with_tasks(row, [ContractTask.from_row(t) for t in tasks])
