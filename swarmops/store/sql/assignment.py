"""Row locks of assignment and failover (PostgreSQL only; SQLite's write lock covers them).

Both run under ``Lock.ASSIGN``; the row locks also keep a concurrent transition of
a chosen agent (or a heartbeat of a stale one) from slipping in between the read
and the write: it waits, and the sweep re-reads the row it committed.
"""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.store.schema import agents
from swarmops.store.sql.named import for_update

_a = agents.c
# Agents in the states that take work (``b_states``, expanding), by id.
SLOTS_QUERY = (
    sa.select(_a.id, _a.skills, _a.capacity)
    .where(_a.state.in_(sa.bindparam("b_states", expanding=True)))
    .order_by(_a.id)
)
SLOTS = for_update("agents.slots", SLOTS_QUERY)
_last = sa.func.coalesce(_a.heartbeat_at, _a.created_at)
# Agents outside the ``gone`` states silent since before ``b_cutoff``.
STALE = for_update(
    "agents.stale",
    sa.select(_a.id, _a.state, _a.heartbeat_at, _last.label("last"))
    .where(
        _a.state.not_in(sa.bindparam("b_gone", expanding=True)),
        _last < sa.bindparam("b_cutoff", type_=_a.created_at.type),
    )
    .order_by(_a.id),
    of=agents,
)
