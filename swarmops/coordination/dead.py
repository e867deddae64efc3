"""The dead letters: listing them, and putting one back in its queue.

A message is dead-lettered by a nack on its last attempt or by the reap (TTL
passed, or a lease expired on the last attempt); each time adds one to its
``dead_count``, which a replay keeps, so the dead-letter counter never decreases
while the number dead now does.
"""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.coordination.models import Message
from swarmops.errors import BadInput, NotFound
from swarmops.store import Store, Unit
from swarmops.store.schema import messages
from swarmops.store.sql.messages import MESSAGE_COLUMNS

m = messages.c


def replay(unit: Unit, message_id: int) -> Message:
    """Put a dead letter back in its queue with fresh attempts and no TTL (its
    ``dead_count`` stays: the counter of dead letters never goes down)."""
    now = unit.now()
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
    row = unit.execute(statement).first()
    if row is not None:
        return Message.from_row(row)
    status = unit.scalar(sa.select(m.status).where(m.id == message_id))
    if status is None:
        raise NotFound(f"no message {message_id}")
    raise BadInput(f"message {message_id} is {status}, not a dead letter")


def dead_letters(store: Store, *, recipient: str | None = None, limit: int = 100) -> list[Message]:
    """The dead letters, oldest first."""
    query = sa.select(*MESSAGE_COLUMNS).where(m.status == "dead").order_by(m.id).limit(limit)
    if recipient is not None:
        query = query.where(m.recipient == recipient)
    with store.unit(read_only=True) as unit:
        return [Message.from_row(row) for row in unit.execute(query)]
