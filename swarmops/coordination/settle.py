"""Settling a lease: ack, nack (with backoff, then the dead letters), release, replay.

Every change is a compare-and-set on ``(id, status, lease_token)`` that must hit
exactly one row. An ack or nack whose token no longer holds the lease changes
nothing, is recorded in ``fencing_rejections`` (committed on its own) and raises
LeaseLost. Acking again with the token that acked is a no-op, so a retried ack
is one effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa

from swarmops.coordination.claim import MESSAGE_COLUMNS
from swarmops.coordination.models import AckBatch, Message
from swarmops.errors import BadInput, LeaseLost, NotFound
from swarmops.store import Store
from swarmops.store.schema import fencing_rejections, messages

m = messages.c
_RECEIPT = sa.and_(m.id == sa.bindparam("b_id"), m.lease_token == sa.bindparam("b_token"))
ACK = (
    sa.update(messages)
    .where(_RECEIPT, m.status == "leased")
    .values(status="acked", lease_expires_at=None, updated_at=sa.bindparam("b_now"))
    .returning(*MESSAGE_COLUMNS)
)
ACKED = sa.select(*MESSAGE_COLUMNS).where(_RECEIPT, m.status == "acked")
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 300.0


def backoff_s(attempts: int) -> float:
    """Delay before a nacked message is visible again: 1 s, 2 s, 4 s … capped at 5 min."""
    return min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** max(0, attempts - 1))


def ack(store: Store, message_id: int, token: int) -> Message:
    """Finish a claimed message; the token must still hold its lease."""
    with store.write() as conn:
        now = store.now()
        receipt = {"b_id": message_id, "b_token": token, "b_now": now}
        row = conn.execute(ACK, receipt).first()
        if row is None:  # acked before with this very token: a retry, one effect
            row = conn.execute(ACKED, receipt).first()
        if row is None:
            lost = _reject(conn, message_id, token, "ack", now)
    if row is None:
        raise lost
    return Message.from_row(row)


def ack_many(store: Store, receipts: Sequence[tuple[int, int]]) -> AckBatch:
    """Ack many ``(id, token)`` receipts in one transaction, each on its own terms: those
    whose token still holds the lease are acked, the rest change nothing and are recorded."""
    wanted = dict(receipts)
    if not wanted:
        return AckBatch(acked=[], lost=[])
    with store.write() as conn:
        now = store.now()
        pairs = sa.tuple_(m.id, m.lease_token).in_(list(wanted.items()))
        conn.execute(_settle(sa.and_(m.status == "leased", pairs), status="acked", updated_at=now))
        done = set(conn.scalars(sa.select(m.id).where(m.status == "acked", pairs)))
        lost = sorted(set(wanted) - done)
        for message_id in lost:
            _reject(conn, message_id, wanted[message_id], "ack", now)
    return AckBatch(acked=sorted(done), lost=lost)


def nack(store: Store, message_id: int, token: int, *, reason: str | None = None) -> Message:
    """Give a claimed message back: visible after backoff, or dead when out of attempts."""
    with store.write() as conn:
        now = store.now()
        current = conn.execute(sa.select(m.attempts, m.max_attempts).where(m.id == message_id))
        attempts, limit = current.first() or (0, 0)
        if attempts >= limit:
            note = f"nacked on attempt {attempts} of {limit}" + (f": {reason}" if reason else "")
            values: dict[str, object] = {"status": "dead", "dead_reason": note}
        else:
            visible = now + timedelta(seconds=backoff_s(attempts))
            values = {"status": "pending", "visible_at": visible}
        statement = _settle(_held(message_id, token), updated_at=now, **values)
        row = conn.execute(statement.returning(*MESSAGE_COLUMNS)).first()
        if row is None:
            lost = _reject(conn, message_id, token, "nack", now)
    if row is None:
        raise lost
    return Message.from_row(row)


def release_in(conn: sa.Connection, agent_id: str, now: datetime) -> int:
    """Make every message leased to ``agent_id`` visible now (failover); tokens stay."""
    update = (
        sa.update(messages)
        .where(m.recipient == agent_id, m.status == "leased")
        .values(status="pending", lease_expires_at=None, visible_at=now, updated_at=now)
    )
    return conn.execute(update).rowcount


def replay(store: Store, message_id: int) -> Message:
    """Put a dead letter back in its queue with fresh attempts and no TTL."""
    with store.write() as conn:
        now = store.now()
        statement = (
            sa.update(messages)
            .where(m.id == message_id, m.status == "dead")
            .values(
                status="pending",
                attempts=0,
                visible_at=now,
                expires_at=None,
                dead_reason=None,
                updated_at=now,
            )
            .returning(*MESSAGE_COLUMNS)
        )
        row = conn.execute(statement).first()
        if row is None:
            status = conn.scalar(sa.select(m.status).where(m.id == message_id))
    if row is None:
        if status is None:
            raise NotFound(f"no message {message_id}")
        raise BadInput(f"message {message_id} is {status}, not a dead letter")
    return Message.from_row(row)


def dead_letters(store: Store, *, recipient: str | None = None, limit: int = 100) -> list[Message]:
    """The dead letters, oldest first."""
    query = sa.select(*MESSAGE_COLUMNS).where(m.status == "dead").order_by(m.id).limit(limit)
    if recipient is not None:
        query = query.where(m.recipient == recipient)
    with store.read() as conn:
        return [Message.from_row(row) for row in conn.execute(query)]


def _held(message_id: int, token: int) -> sa.ColumnElement[bool]:
    return sa.and_(m.id == message_id, m.status == "leased", m.lease_token == token)


def _settle(held: sa.ColumnElement[bool], **values: object) -> sa.Update:
    values.setdefault("lease_expires_at", None)
    return sa.update(messages).where(held).values(**values)


def _reject(
    conn: sa.Connection, message_id: int, token: int, action: str, now: datetime
) -> LeaseLost:
    """Record a refused ack/nack (kept: nothing else in this transaction changed)."""
    found = conn.execute(
        sa.select(m.recipient, m.lease_token, m.status).where(m.id == message_id)
    ).first()
    if found is None:
        raise NotFound(f"no message {message_id}")
    conn.execute(
        sa.insert(fencing_rejections).values(
            resource_kind="message",
            resource_id=str(message_id),
            agent_id=found.recipient,
            token=token,
            current_token=found.lease_token,
            action=action,
            at=now,
        )
    )
    return LeaseLost(
        f"message {message_id}: token {token} no longer holds the lease "
        f"(status {found.status}, current token {found.lease_token}); nothing changed"
    )
