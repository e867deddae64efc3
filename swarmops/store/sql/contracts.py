"""Contract statements whose form differs by database: the row lock of a progress report."""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.store.schema import contracts
from swarmops.store.sql.named import for_update

# A progress report holds its contract's row until it commits, so two reports of one
# contract (a percent and a finished task, say) are computed one after the other.
LOCK_CONTRACT = for_update(
    "contracts.lock", sa.select(contracts).where(contracts.c.id == sa.bindparam("b_id"))
)
