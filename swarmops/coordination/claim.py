"""Claiming: lease up to N visible messages of one agent in one atomic statement.

The claim and the reap are named statements (``swarmops.store.sql.messages``):
atomic on both databases, and on PostgreSQL concurrent consumers skip each
other's rows. Every claim counts an attempt and bumps the message's lease token,
so a token only ever grows; a message whose lease expired is visible again, and
one that has used all its attempts (or outlived its TTL) is moved to the dead
letters before the claim.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from swarmops.coordination.models import Message
from swarmops.errors import BadInput, NotFound
from swarmops.store import Unit
from swarmops.store.schema import agents
from swarmops.store.sql.messages import CLAIM, REAP_ALL, REAP_ONE

KNOWN_AGENT = sa.select(agents.c.id).where(agents.c.id == sa.bindparam("b_agent"))


def recv(unit: Unit, agent_id: str, *, max_messages: int = 1, lease_s: float) -> list[Message]:
    """Claim up to ``max_messages`` for ``agent_id``: highest priority, then oldest, first."""
    if max_messages < 1:
        raise BadInput(f"--max must be at least 1, not {max_messages}")
    if lease_s <= 0:
        raise BadInput(f"--lease must be positive seconds, not {lease_s}")
    now = unit.now()
    reap(unit, recipient=agent_id)
    until = now + timedelta(seconds=lease_s)
    params = {"b_agent": agent_id, "b_limit": max_messages, "b_now": now, "b_until": until}
    rows = unit.run(CLAIM, params).all()
    if not rows and unit.scalar(KNOWN_AGENT, {"b_agent": agent_id}) is None:
        raise NotFound(f"no agent {agent_id!r}")
    claimed = [Message.from_row(row) for row in rows]
    return sorted(claimed, key=lambda message: (-message.priority, message.id))


def reap(unit: Unit, *, recipient: str | None = None) -> int:
    """Move past-TTL messages, and expired leases with no attempt left, to the dead letters
    (one recipient's, or everyone's); the number moved."""
    statement = REAP_ALL if recipient is None else REAP_ONE
    return unit.run(statement, {"b_now": unit.now(), "b_agent": recipient}).rowcount
