"""Sending: one row per recipient, in the caller's transaction when it has one.

A role send makes one copy per agent of that role and a broadcast one per agent
(the sender excluded), so ``recipient`` is always an agent id and each copy is
claimed, leased and acked on its own. An idempotency key makes a repeated send
one effect: the second call returns the messages the first one created.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from swarmops.coordination.models import SendRequest, SendResult
from swarmops.errors import BadInput, NotFound
from swarmops.settings import CoordinationSettings
from swarmops.store import Store
from swarmops.store.schema import agents, messages, queues


def send(store: Store, request: SendRequest, policy: CoordinationSettings) -> SendResult:
    """Send ``request`` in a transaction of its own."""
    with store.write() as conn:
        return send_in(conn, request, policy=policy, now=store.now())


def send_in(
    conn: sa.Connection, request: SendRequest, *, policy: CoordinationSettings, now: datetime
) -> SendResult:
    """Send inside the caller's transaction (assignment, failover, pipeline)."""
    _check_body(request.body, policy.max_body_bytes)
    recipients = _recipients(conn, request)
    if request.key is not None:
        found = _existing(conn, request.key, recipients)
        if len(found) == len(recipients):
            return SendResult(ids=found, recipients=recipients, queue=request.queue, duplicate=True)
    _ensure_queue(conn, request, now)
    row = _row(conn, request, policy, now)
    inserted = [_insert(conn, {**row, "recipient": recipient}) for recipient in recipients]
    ids = [i for i in inserted if i is not None]
    if len(ids) < len(recipients):  # an earlier or concurrent send with this key has some
        ids = _existing(conn, str(request.key), recipients)
    return SendResult(ids=ids, recipients=recipients, queue=request.queue, duplicate=False)


def _check_body(body: object, limit: int) -> None:
    try:
        size = len(json.dumps(body, separators=(",", ":")).encode())
    except (TypeError, ValueError) as exc:
        raise BadInput(f"message body is not JSON: {exc}") from exc
    if size > limit:
        raise BadInput(f"message body is {size} bytes; the limit is {limit}")


def _recipients(conn: sa.Connection, request: SendRequest) -> list[str]:
    if request.to is not None:
        found = list(conn.scalars(BY_ID, {"b_name": request.to}))
    elif request.role is not None:
        found = list(conn.scalars(BY_ROLE, {"b_name": request.role}))
    else:
        found = list(conn.scalars(ALL_BUT, {"b_name": request.sender}))
    if not found:
        raise NotFound(f"no agent to receive a message sent to {request.queue}")
    return found


def _existing(conn: sa.Connection, key: str, recipients: list[str]) -> list[int]:
    rows = conn.execute(
        sa.select(messages.c.recipient, messages.c.id).where(
            messages.c.idempotency_key == key, messages.c.recipient.in_(recipients)
        )
    )
    by_recipient = {recipient: id_ for recipient, id_ in rows}
    return [by_recipient[r] for r in recipients if r in by_recipient]


def _row(
    conn: sa.Connection, request: SendRequest, policy: CoordinationSettings, now: datetime
) -> dict[str, object]:
    expires = now + timedelta(seconds=request.ttl_s) if request.ttl_s is not None else None
    return {
        "sender": request.sender,
        "queue": request.queue,
        "priority": request.priority,
        "body": request.body,
        "status": "pending",
        "max_attempts": policy.max_attempts,
        "visible_at": now + timedelta(seconds=request.delay_s),
        "expires_at": expires,
        "correlation_id": _correlation(conn, request),
        "reply_to": request.reply_to,
        "created_at": now,
        "updated_at": now,
        "idempotency_key": request.key,
    }


def _correlation(conn: sa.Connection, request: SendRequest) -> str | None:
    """A reply carries its request's correlation id (or the request's id when it had none)."""
    if request.reply_to is None:
        return request.correlation_id
    original = conn.execute(
        sa.select(messages.c.id, messages.c.correlation_id).where(messages.c.id == request.reply_to)
    ).first()
    if original is None:
        raise NotFound(f"no message {request.reply_to} to reply to")
    return request.correlation_id or original.correlation_id or str(original.id)


def _insert(conn: sa.Connection, row: dict[str, object]) -> int | None:
    """Insert one copy; None when its idempotency key is already taken."""
    keyed = row["idempotency_key"] is not None
    return conn.execute(INSERTS[conn.dialect.name, keyed], row).scalar()


def _ensure_queue(conn: sa.Connection, request: SendRequest, now: datetime) -> None:
    row = {"name": request.queue, "kind": request.queue_kind, "created_at": now}
    conn.execute(QUEUE_INSERTS[conn.dialect.name], row)


def _insert_statements() -> dict[tuple[str, bool], sa.Executable]:
    """The message INSERT per dialect, plain and skipping a taken idempotency key."""
    statements: dict[tuple[str, bool], sa.Executable] = {}
    for name, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert)):
        plain = insert(messages)
        keyed = plain.on_conflict_do_nothing(index_elements=["idempotency_key", "recipient"])
        statements[name, False] = plain.returning(messages.c.id)
        statements[name, True] = keyed.returning(messages.c.id)
    return statements


_agent_ids = sa.select(agents.c.id).order_by(agents.c.id)
BY_ID = _agent_ids.where(agents.c.id == sa.bindparam("b_name"))
BY_ROLE = _agent_ids.where(agents.c.role == sa.bindparam("b_name"))
ALL_BUT = _agent_ids.where(agents.c.id != sa.bindparam("b_name"))
INSERTS = _insert_statements()
QUEUE_INSERTS = {
    name: insert(queues).on_conflict_do_nothing(index_elements=["name"])
    for name, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}
