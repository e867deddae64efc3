"""The tables the suites check, read from the store as DataFrames."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

import pandas as pd
import sqlalchemy as sa

from swarmops.store import Store, Unit
from swarmops.store.schema import agents, contract_tasks, contracts, progress_events


class ValidationData(NamedTuple):
    """What the suites look at, and the ids and time they check it against."""

    events: pd.DataFrame  # contract_id, agent_id, percent, at, idempotency_key
    contracts: pd.DataFrame  # id, owner, due, created_at
    tasks: pd.DataFrame  # contract_id, task_id, weight
    agent_ids: tuple[str, ...]
    contract_ids: tuple[str, ...]
    now: datetime  # naive UTC, like the frames' timestamps


def read_validation_data(store: Store) -> ValidationData:
    """One consistent read of the data the suites validate."""
    event = progress_events.c
    queries = (
        sa.select(
            event.contract_id, event.agent_id, event.percent, event.at, event.idempotency_key
        ),
        sa.select(contracts.c.id, contracts.c.owner, contracts.c.due, contracts.c.created_at),
        sa.select(contract_tasks.c.contract_id, contract_tasks.c.task_id, contract_tasks.c.weight),
    )
    with store.unit(read_only=True) as unit:
        events, table, tasks = (_frame(unit, query) for query in queries)
        agent_ids = tuple(unit.scalars(sa.select(agents.c.id)))
    return ValidationData(
        events=events,
        contracts=table,
        tasks=tasks,
        agent_ids=agent_ids,
        contract_ids=tuple(table["id"]),
        now=store.now().astimezone(UTC).replace(tzinfo=None),
    )


def _frame(unit: Unit, query: sa.Select[Any]) -> pd.DataFrame:
    result = unit.execute(query)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    for column in ("at", "due", "created_at"):
        if column in frame:
            # naive UTC: GX's pair metrics read Series.values, which pandas 3 deprecates
            # for timezone-aware columns
            frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(None)
    return frame
