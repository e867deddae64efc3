"""Reading contracts: records for commands, percents for metrics, frames for rollups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from swarmops.contracts import sql
from swarmops.contracts.models import Contract, ContractEvent, ContractTask
from swarmops.store import Store, Unit
from swarmops.store.schema import contract_events, contract_tasks, contracts, progress_events

if TYPE_CHECKING:
    from swarmops.contracts.rollup import RollupFrames

_LIVE = contracts.c.removed_at.is_(None)
_LAST_EVENT = (
    sa.select(progress_events.c.contract_id, sa.func.max(progress_events.c.id).label("last_id"))
    .group_by(progress_events.c.contract_id)
    .subquery()
)
_PERCENTS = (
    sa.select(contracts.c.id, progress_events.c.percent)
    .select_from(contracts)
    .outerjoin(_LAST_EVENT, _LAST_EVENT.c.contract_id == contracts.c.id)
    .outerjoin(progress_events, progress_events.c.id == _LAST_EVENT.c.last_id)
    .where(_LIVE)
)

_STATUS_AT = (
    sa.select(contract_events.c.contract_id, sa.func.max(contract_events.c.at).label("status_at"))
    .group_by(contract_events.c.contract_id)
    .subquery()
)
_CONTRACT_FRAME = (
    sa.select(
        contracts.c.id,
        contracts.c.title,
        contracts.c.owner,
        contracts.c.status,
        contracts.c.due,
        contracts.c.created_at,
        _STATUS_AT.c.status_at,
    )
    .outerjoin(_STATUS_AT, _STATUS_AT.c.contract_id == contracts.c.id)
    .where(_LIVE)
    .order_by(contracts.c.id)
)
_EVENT_FRAME = sa.select(
    progress_events.c.contract_id,
    progress_events.c.agent_id,
    progress_events.c.percent,
    progress_events.c.at,
).order_by(progress_events.c.at, progress_events.c.id)
_TASK_FRAME = sa.select(
    contract_tasks.c.contract_id,
    contract_tasks.c.task_id,
    contract_tasks.c.weight,
    contract_tasks.c.done_at,
)


def get_contract(store: Store, contract_id: str) -> Contract:
    """One contract with its tasks, or NotFound."""
    with store.unit(read_only=True) as unit:
        return sql.fetch_contract(unit, contract_id)


def list_contracts(store: Store, *, include_removed: bool = False) -> list[Contract]:
    """Every contract (live ones unless ``include_removed``), with tasks, by id."""
    query = sa.select(contracts).order_by(contracts.c.id)
    with store.unit(read_only=True) as unit:
        rows = unit.execute(query if include_removed else query.where(_LIVE)).mappings().all()
        tasks = unit.execute(
            sa.select(contract_tasks).order_by(contract_tasks.c.position)
        ).mappings()
        by_contract: dict[str, list[ContractTask]] = {}
        for task in tasks:
            by_contract.setdefault(task["contract_id"], []).append(ContractTask.from_row(task))
    return [Contract.with_tasks(row, by_contract.get(row["id"], [])) for row in rows]


def contract_history(store: Store, contract_id: str) -> list[ContractEvent]:
    """The contract's status log, oldest first."""
    query = (
        sa.select(contract_events)
        .where(contract_events.c.contract_id == contract_id)
        .order_by(contract_events.c.seq)
    )
    with store.unit(read_only=True) as unit:
        sql.fetch_contract(unit, contract_id)
        return [ContractEvent.from_row(r) for r in unit.execute(query).mappings()]


def percent_by_contract(store: Store) -> dict[str, float]:
    """Each live contract's percent complete (0..100; 0 before any progress)."""
    with store.unit(read_only=True) as unit:
        return {row.id: float(row.percent or 0.0) for row in unit.execute(_PERCENTS)}


def read_frames(store: Store) -> RollupFrames:
    """The live contracts, their tasks and their progress events as DataFrames."""
    import pandas as pd

    from swarmops.contracts.rollup import RollupFrames

    with store.unit(read_only=True) as unit:
        frames = [_frame(pd, unit, q) for q in (_CONTRACT_FRAME, _EVENT_FRAME, _TASK_FRAME)]
    return RollupFrames(contracts=frames[0], events=frames[1], tasks=frames[2])


def _frame(pd: Any, unit: Unit, query: sa.Select[Any]) -> Any:
    result = unit.execute(query)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    for column in ("due", "created_at", "status_at", "at", "done_at"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame
