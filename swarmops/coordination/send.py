"""Sending: one row per recipient, in the caller's unit of work.

A role send makes one copy per agent of that role and a broadcast one per agent
(the sender excluded), so ``recipient`` is always an agent id and each copy is
claimed, leased and acked on its own. An idempotency key belongs to the sender
(scope ``sender:<id>``): the same sender repeating a key gets the first send's
result (``duplicate=True``) and no new message; another sender's same key string
is another key.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from swarmops.coordination.models import SendRequest, SendResult
from swarmops.errors import BadInput, NotFound
from swarmops.idempotency import Keyed, once, scope
from swarmops.settings import CoordinationSettings
from swarmops.store import Unit
from swarmops.store.schema import agents, messages
from swarmops.store.sql.messages import ENSURE_QUEUE
from swarmops.strict_json import measure_body

OPERATION = "message.send"


def send(unit: Unit, request: SendRequest, policy: CoordinationSettings) -> SendResult:
    """Send ``request`` inside ``unit``; a repeated key of the sender's replays the first."""
    _check_body(request.body, policy.max_body_bytes)
    keyed = None
    if request.key is not None:
        asked = request.model_dump(mode="json", exclude={"key"})
        keyed = Keyed(scope("sender", request.sender), request.key, OPERATION, asked)
    return once(unit, keyed, lambda: _send(unit, request, policy), _replayed)


def _send(unit: Unit, request: SendRequest, policy: CoordinationSettings) -> SendResult:
    recipients = _recipients(unit, request)
    now = unit.now()
    unit.run(ENSURE_QUEUE, {"name": request.queue, "kind": request.queue_kind, "created_at": now})
    row = _row(unit, request, policy)
    insert = messages.insert().returning(messages.c.id)
    ids = [unit.scalar(insert, {**row, "recipient": recipient}) for recipient in recipients]
    return SendResult(ids=ids, recipients=recipients, queue=request.queue, duplicate=False)


def _replayed(first: dict[str, Any]) -> SendResult:
    return SendResult.model_validate({**first, "duplicate": True})


def _check_body(body: object, limit: int) -> None:
    size = measure_body(body)
    if size > limit:
        raise BadInput(f"message body is {size} bytes; the limit is {limit}")


def _recipients(unit: Unit, request: SendRequest) -> list[str]:
    if request.to is not None:
        found = unit.scalars(BY_ID, {"b_name": request.to})
    elif request.role is not None:
        found = unit.scalars(BY_ROLE, {"b_name": request.role})
    else:
        found = unit.scalars(ALL_BUT, {"b_name": request.sender})
    if not found:
        raise NotFound(f"no agent to receive a message sent to {request.queue}")
    return found


def _row(unit: Unit, request: SendRequest, policy: CoordinationSettings) -> dict[str, object]:
    now = unit.now()
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
        "correlation_id": _correlation(unit, request),
        "reply_to": request.reply_to,
        "created_at": now,
        "updated_at": now,
        "idempotency_key": request.key,
    }


def _correlation(unit: Unit, request: SendRequest) -> str | None:
    """A reply carries its request's correlation id (or the request's id when it had none)."""
    if request.reply_to is None:
        return request.correlation_id
    original = unit.execute(
        sa.select(messages.c.id, messages.c.correlation_id).where(messages.c.id == request.reply_to)
    ).first()
    if original is None:
        raise NotFound(f"no message {request.reply_to} to reply to")
    return request.correlation_id or original.correlation_id or str(original.id)


_agent_ids = sa.select(agents.c.id).order_by(agents.c.id)
BY_ID = _agent_ids.where(agents.c.id == sa.bindparam("b_name"))
BY_ROLE = _agent_ids.where(agents.c.role == sa.bindparam("b_name"))
ALL_BUT = _agent_ids.where(agents.c.id != sa.bindparam("b_name"))
