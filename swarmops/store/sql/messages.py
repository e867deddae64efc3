"""Message-bus statements whose text differs by database: claim, reap, queue creation.

SQLite serialises writers (``BEGIN IMMEDIATE``), so a single ``UPDATE … WHERE id IN
(SELECT … LIMIT n) RETURNING`` is atomic there. PostgreSQL picks the rows in a CTE
with ``FOR UPDATE SKIP LOCKED``, so concurrent consumers never wait on, or take,
each other's rows; the reap skips rows another transaction holds the same way.
"""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.store.schema import messages, queues
from swarmops.store.sql.named import Named, insert_ignoring

m = messages.c
MESSAGE_COLUMNS = [column for column in messages.c if column.name != "updated_at"]
_NOW = sa.bindparam("b_now", type_=m.visible_at.type)


def _claim(dialect: str) -> sa.Update:
    """Pick one agent's visible rows by priority then age, and lease them."""
    waiting = sa.and_(m.status == "pending", m.visible_at <= _NOW)
    abandoned = sa.and_(m.status == "leased", m.lease_expires_at <= _NOW)
    alive = sa.or_(m.expires_at.is_(None), m.expires_at > _NOW)
    picked = (
        sa.select(m.id)
        .where(m.recipient == sa.bindparam("b_agent"), sa.or_(waiting, abandoned), alive)
        .order_by(m.priority.desc(), m.id)
        .limit(sa.bindparam("b_limit"))
    )
    update = sa.update(messages).values(
        status="leased",
        attempts=m.attempts + 1,
        lease_token=m.lease_token + 1,
        lease_expires_at=sa.bindparam("b_until"),
        updated_at=_NOW,
    )
    if dialect == "postgresql":
        cte = picked.with_for_update(skip_locked=True).cte("picked")
        update = update.where(m.id == cte.c.id)
    else:
        update = update.where(m.id.in_(picked.scalar_subquery()))
    return update.returning(*MESSAGE_COLUMNS)


def _reap(dialect: str, one_recipient: bool) -> sa.Update:
    """Dead-letter past-TTL messages and expired leases that used their last attempt."""
    expired = sa.and_(
        m.status.in_(["pending", "leased"]), m.expires_at.is_not(None), m.expires_at <= _NOW
    )
    spent = sa.and_(m.status == "leased", m.lease_expires_at <= _NOW, m.attempts >= m.max_attempts)
    picked = sa.select(m.id).where(sa.or_(expired, spent))
    if one_recipient:
        picked = picked.where(m.recipient == sa.bindparam("b_agent"))
    if dialect == "postgresql":
        picked = picked.with_for_update(skip_locked=True)
    reason = sa.case(
        (expired, sa.literal("expired: time-to-live passed")),
        else_=sa.literal("lease expired on the last attempt"),
    )
    return (
        sa.update(messages)
        .where(m.id.in_(picked.scalar_subquery()))
        .values(
            status="dead",
            dead_reason=reason,
            dead_count=m.dead_count + 1,
            lease_expires_at=None,
            updated_at=_NOW,
        )
    )


CLAIM = Named.build("messages.claim", _claim)
REAP_ALL = Named.build("messages.reap", lambda dialect: _reap(dialect, False))
REAP_ONE = Named.build("messages.reap_recipient", lambda dialect: _reap(dialect, True))
# A queue is created by its first send; a concurrent first send skips it.
ENSURE_QUEUE = insert_ignoring("queues.ensure", queues, ["name"])
