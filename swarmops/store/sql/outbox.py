"""Outbox statements: open an alert once, and claim unpublished events for one drainer."""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.store.schema import alerts, outbox
from swarmops.store.sql.named import for_update, insert_ignoring

# The partial unique index on open alerts makes a concurrent duplicate impossible;
# the insert skips it, and RETURNING gives no id.
OPEN_ALERT = insert_ignoring(
    "alerts.open",
    alerts,
    ["kind", "resource_kind", "resource_id"],
    index_where=alerts.c.resolved_at.is_(None),
    returning=[alerts.c.id],
)
# Drainers running at once (serve, a CLI command, a flow) each take other rows.
PENDING = for_update(
    "outbox.pending",
    sa.select(outbox)
    .where(outbox.c.published_at.is_(None))
    .order_by(outbox.c.id)
    .limit(sa.bindparam("b_limit")),
    skip_locked=True,
)
