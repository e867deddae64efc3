"""Claiming a contract: lock one OPEN row, skipping rows another claimer holds."""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.store.schema import agents, contracts
from swarmops.store.sql.named import for_update

# On PostgreSQL two agents claiming at once each lock a different OPEN contract (a row
# another transaction holds is skipped, not waited on); SQLite's write transaction is
# already exclusive, so its form is the plain query.
LOCK_OPEN = for_update(
    "contract.claim.lock_open",
    sa.select(contracts.c.id).where(
        contracts.c.id == sa.bindparam("b_id"),
        contracts.c.status == "OPEN",
        contracts.c.removed_at.is_(None),
    ),
    skip_locked=True,
)
# The claiming agent's row, locked so one agent's concurrent claims respect its capacity.
LOCK_AGENT = for_update(
    "contract.claim.lock_agent",
    sa.select(agents.c.id, agents.c.state, agents.c.capacity, agents.c.skills).where(
        agents.c.id == sa.bindparam("b_agent")
    ),
)
