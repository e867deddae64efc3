"""Claiming: lease up to N visible messages of one agent in one atomic statement.

SQLite serialises writers (``BEGIN IMMEDIATE``), so a single ``UPDATE … WHERE id
IN (SELECT … LIMIT n) RETURNING`` is atomic. PostgreSQL picks the rows in a CTE
with ``FOR UPDATE SKIP LOCKED``, so concurrent consumers never wait on, or take,
each other's rows. Every claim counts an attempt and bumps the message's lease
token, so a token only ever grows; a message whose lease expired is visible
again, and one that has used all its attempts (or outlived its TTL) is moved to
the dead letters before the claim.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from swarmops.coordination.models import Message
from swarmops.errors import BadInput, NotFound
from swarmops.store import Store
from swarmops.store.schema import agents, messages

m = messages.c
MESSAGE_COLUMNS = [column for column in messages.c if column.name != "updated_at"]


def recv(store: Store, agent_id: str, *, max_messages: int = 1, lease_s: float) -> list[Message]:
    """Claim up to ``max_messages`` for ``agent_id``: highest priority, then oldest, first."""
    if max_messages < 1:
        raise BadInput(f"--max must be at least 1, not {max_messages}")
    if lease_s <= 0:
        raise BadInput(f"--lease must be positive seconds, not {lease_s}")
    with store.write() as conn:
        now = store.now()
        reap_in(conn, now, recipient=agent_id)
        until = now + timedelta(seconds=lease_s)
        params = {"b_agent": agent_id, "b_limit": max_messages, "b_now": now, "b_until": until}
        rows = conn.execute(CLAIMS[conn.dialect.name], params).all()
        if not rows and conn.scalar(KNOWN_AGENT, {"b_agent": agent_id}) is None:
            raise NotFound(f"no agent {agent_id!r}")
    claimed = [Message.from_row(row) for row in rows]
    return sorted(claimed, key=lambda message: (-message.priority, message.id))


def _claim(dialect: str) -> sa.Update:
    """The claim statement of ``dialect``: pick visible rows by priority then age, lease them."""
    now = sa.bindparam("b_now", type_=messages.c.visible_at.type)
    waiting = sa.and_(m.status == "pending", m.visible_at <= now)
    abandoned = sa.and_(m.status == "leased", m.lease_expires_at <= now)
    alive = sa.or_(m.expires_at.is_(None), m.expires_at > now)
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
        updated_at=now,
    )
    if dialect == "postgresql":
        cte = picked.with_for_update(skip_locked=True).cte("picked")
        update = update.where(m.id == cte.c.id)
    else:
        update = update.where(m.id.in_(picked.scalar_subquery()))
    return update.returning(*MESSAGE_COLUMNS)


def reap_in(conn: sa.Connection, now: datetime, *, recipient: str | None = None) -> int:
    """Move past-TTL messages, and expired leases with no attempt left, to the dead letters
    (one recipient's, or everyone's)."""
    statement = REAPS[conn.dialect.name, recipient is not None]
    return conn.execute(statement, {"b_now": now, "b_agent": recipient}).rowcount


def _reap(dialect: str, one_recipient: bool) -> sa.Update:
    now = sa.bindparam("b_now", type_=messages.c.visible_at.type)
    expired = sa.and_(
        m.status.in_(["pending", "leased"]), m.expires_at.is_not(None), m.expires_at <= now
    )
    spent = sa.and_(m.status == "leased", m.lease_expires_at <= now, m.attempts >= m.max_attempts)
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
        .values(status="dead", dead_reason=reason, lease_expires_at=None, updated_at=now)
    )


DIALECTS = ("sqlite", "postgresql")
CLAIMS = {dialect: _claim(dialect) for dialect in DIALECTS}
REAPS = {(d, one): _reap(d, one) for d in DIALECTS for one in (False, True)}
KNOWN_AGENT = sa.select(agents.c.id).where(agents.c.id == sa.bindparam("b_agent"))
