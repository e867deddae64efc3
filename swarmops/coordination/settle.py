"""Settling a lease: ack, nack (with backoff, then the dead letters), release.

Every change is a compare-and-set on ``(id, status, lease_token)`` that must hit
exactly one row. An ack or nack whose token no longer holds the lease changes
nothing, is recorded in ``fencing_rejections`` and raises LeaseLost; run it
through ``keep_refusal`` to commit that record although the call fails. Acking again with the token that acked is a no-op, so a retried ack
is one effect.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, Concatenate, ParamSpec

import sqlalchemy as sa

from swarmops.coordination.models import AckBatch, Message
from swarmops.errors import LeaseLost, NotFound
from swarmops.store import Store, Unit
from swarmops.store.schema import fencing_rejections, messages
from swarmops.store.sql.messages import MESSAGE_COLUMNS

P = ParamSpec("P")

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


def ack(unit: Unit, message_id: int, token: int) -> Message:
    """Finish a claimed message; the token must still hold its lease (else LeaseLost, with
    the refusal recorded in ``unit``: see :func:`keep_refusal`)."""
    receipt = {"b_id": message_id, "b_token": token, "b_now": unit.now()}
    row = unit.execute(ACK, receipt).first()
    if row is None:  # acked before with this very token: a retry, one effect
        row = unit.execute(ACKED, receipt).first()
    if row is None:
        raise _reject(unit, message_id, token, "ack")
    return Message.from_row(row)


def ack_many(unit: Unit, receipts: Sequence[tuple[int, int]]) -> AckBatch:
    """Ack many ``(id, token)`` receipts in one unit, each on its own terms: those whose
    token still holds the lease are acked, the rest change nothing and are recorded."""
    wanted = dict(receipts)
    if not wanted:
        return AckBatch(acked=[], lost=[])
    now = unit.now()
    pairs = sa.tuple_(m.id, m.lease_token).in_(list(wanted.items()))
    unit.execute(_settle(sa.and_(m.status == "leased", pairs), status="acked", updated_at=now))
    done = set(unit.scalars(sa.select(m.id).where(m.status == "acked", pairs)))
    lost = sorted(set(wanted) - done)
    for message_id in lost:
        _reject(unit, message_id, wanted[message_id], "ack")
    return AckBatch(acked=sorted(done), lost=lost)


def nack(unit: Unit, message_id: int, token: int, *, reason: str | None = None) -> Message:
    """Give a claimed message back: visible after backoff, or dead when out of attempts."""
    now = unit.now()
    current: Any = unit.execute(sa.select(m.attempts, m.max_attempts).where(m.id == message_id))
    attempts, limit = current.first() or (0, 0)
    if attempts >= limit:
        note = f"nacked on attempt {attempts} of {limit}" + (f": {reason}" if reason else "")
        values: dict[str, object] = {
            "status": "dead",
            "dead_reason": note,
            "dead_count": m.dead_count + 1,
        }
    else:
        visible = now + timedelta(seconds=backoff_s(attempts))
        values = {"status": "pending", "visible_at": visible}
    statement = _settle(_held(message_id, token), updated_at=now, **values)
    row = unit.execute(statement.returning(*MESSAGE_COLUMNS)).first()
    if row is None:
        raise _reject(unit, message_id, token, "nack")
    return Message.from_row(row)


def keep_refusal(
    store: Store, settle: Callable[Concatenate[Unit, P], Message], *args: P.args, **kwargs: P.kwargs
) -> Message:
    """``settle(unit, ...)`` (``ack`` or ``nack``) in a unit of its own that commits even when
    the lease was lost: the refusal in ``fencing_rejections`` is kept, nothing else changed
    (the compare-and-set matched no row), and the LeaseLost reaches the caller after it."""
    with store.unit() as unit:
        try:
            return settle(unit, *args, **kwargs)
        except LeaseLost as lost:
            refused = lost
    raise refused


def release(unit: Unit, agent_id: str) -> int:
    """Make every message leased to ``agent_id`` visible now (failover); tokens stay."""
    now = unit.now()
    update = (
        sa.update(messages)
        .where(m.recipient == agent_id, m.status == "leased")
        .values(status="pending", lease_expires_at=None, visible_at=now, updated_at=now)
    )
    return unit.execute(update).rowcount


def _held(message_id: int, token: int) -> sa.ColumnElement[bool]:
    return sa.and_(m.id == message_id, m.status == "leased", m.lease_token == token)


def _settle(held: sa.ColumnElement[bool], **values: object) -> sa.Update:
    values.setdefault("lease_expires_at", None)
    return sa.update(messages).where(held).values(**values)


def _reject(unit: Unit, message_id: int, token: int, action: str) -> LeaseLost:
    """Record a refused ack/nack in ``unit``; the LeaseLost to raise (or to report)."""
    found = unit.execute(
        sa.select(m.recipient, m.lease_token, m.status).where(m.id == message_id)
    ).first()
    if found is None:
        raise NotFound(f"no message {message_id}")
    unit.execute(
        sa.insert(fencing_rejections).values(
            resource_kind="message",
            resource_id=str(message_id),
            agent_id=found.recipient,
            token=token,
            current_token=found.lease_token,
            action=action,
            at=unit.now(),
        )
    )
    return LeaseLost(
        f"message {message_id}: token {token} no longer holds the lease "
        f"(status {found.status}, current token {found.lease_token}); nothing changed"
    )
