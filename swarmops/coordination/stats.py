"""Queue depths for the metrics exporter and the pipeline's reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from swarmops.coordination.models import BusStats
from swarmops.store import Store
from swarmops.store.schema import messages

m = messages.c


def bus_stats(store: Store) -> BusStats:
    """Open messages per queue (pending or leased), leased ones, dead letters now, and
    the moves to the dead letters ever made (``dead_count`` survives a replay)."""
    query = sa.select(m.queue, m.status, sa.func.count()).group_by(m.queue, m.status)
    with store.unit(read_only=True) as unit:
        rows: Sequence[Any] = unit.execute(query).all()
        ever = unit.scalar(sa.select(sa.func.coalesce(sa.func.sum(m.dead_count), 0)))
    open_by_queue: dict[str, int] = {}
    for queue, status, count in rows:
        if status in ("pending", "leased"):
            open_by_queue[queue] = open_by_queue.get(queue, 0) + count
    return BusStats(
        open_by_queue=dict(sorted(open_by_queue.items())),
        leased=sum(count for _, status, count in rows if status == "leased"),
        dead=sum(count for _, status, count in rows if status == "dead"),
        dead_lettered=int(ever),
    )
