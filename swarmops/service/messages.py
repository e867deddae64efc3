"""The agent's messages: send as itself, fetch its inbox with a lease, ack and nack its own."""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.coordination import Message, SendRequest, recv
from swarmops.coordination import ack as ack_message
from swarmops.coordination import nack as nack_message
from swarmops.coordination import send as send_message
from swarmops.errors import LeaseLost, NotFound
from swarmops.service.access import require_self
from swarmops.service.context import Services
from swarmops.service.models import (
    Delivery,
    FetchBody,
    Inbox,
    NackBody,
    Refused,
    SendAnswer,
    SendBody,
    Settled,
    TokenBody,
)
from swarmops.store import Unit
from swarmops.store.listen import INBOX_CHANNEL, notify
from swarmops.store.schema import messages
from swarmops.tokens import Principal

m = messages.c


def send(unit: Unit, env: Services, caller: Principal, agent_id: str, body: SendBody) -> SendAnswer:
    """Send as agent ``agent_id``, the caller itself; every recipient's waiting fetch is
    woken once this commits."""
    require_self(caller, agent_id)
    request = SendRequest(sender=agent_id, **body.model_dump())
    result = send_message(unit, request, env.policy)
    for recipient in result.recipients:
        notify(unit, INBOX_CHANNEL, recipient)
    return SendAnswer.model_validate(result.model_dump())


def fetch(unit: Unit, env: Services, caller: Principal, agent_id: str, body: FetchBody) -> Inbox:
    """Claim up to ``max_messages`` of the agent's visible messages with a lease (no wait:
    the gateway waits between attempts)."""
    require_self(caller, agent_id)
    lease_s = body.lease_s or env.policy.lease_s
    claimed = recv(unit, agent_id, max_messages=body.max_messages, lease_s=lease_s)
    return Inbox(messages=[Delivery.model_validate(one.delivery()) for one in claimed])


def ack(
    unit: Unit, caller: Principal, agent_id: str, message_id: int, body: TokenBody
) -> Settled | Refused:
    """Finish the agent's own message; a lost lease is refused, and the refusal kept."""
    require_self(caller, agent_id)
    _own(unit, agent_id, message_id)
    try:
        return _settled(ack_message(unit, message_id, body.token))
    except LeaseLost as lost:
        return Refused(lost)


def nack(
    unit: Unit, caller: Principal, agent_id: str, message_id: int, body: NackBody
) -> Settled | Refused:
    require_self(caller, agent_id)
    _own(unit, agent_id, message_id)
    try:
        return _settled(nack_message(unit, message_id, body.token, reason=body.reason))
    except LeaseLost as lost:
        return Refused(lost)


def unread_count(unit: Unit, agent_id: str) -> int:
    """Messages waiting for the agent now (pending and visible, or with a lapsed lease)."""
    now = unit.now()
    waiting = sa.or_(
        sa.and_(m.status == "pending", m.visible_at <= now),
        sa.and_(m.status == "leased", m.lease_expires_at <= now),
    )
    query = sa.select(sa.func.count()).where(m.recipient == agent_id, waiting)
    return int(unit.scalar(query) or 0)


def _own(unit: Unit, agent_id: str, message_id: int) -> None:
    """Another agent's message is, for this agent, no message at all."""
    query = sa.select(m.recipient).where(m.id == message_id)
    if unit.scalar(query) != agent_id:
        raise NotFound(f"no message {message_id} for agent {agent_id!r}")


def _settled(message: Message) -> Settled:
    return Settled.model_validate(message.model_dump())
