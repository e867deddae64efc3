"""The one publisher of the outbox: send each committed event, then mark it sent.

Rows are claimed in a unit of work (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the
write lock on SQLite), so drains running at once never send the same row twice
between them; a row whose publication fails keeps its place, counts the attempt
and the error, and is sent by a later drain. Delivery is at least once: a crash
after sending and before the commit sends the row again, under the same event id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import sqlalchemy as sa

from swarmops.errors import PublishError
from swarmops.outbox.models import DrainReport, OutboxEvent
from swarmops.store import Store, Unit
from swarmops.store.schema import alerts, outbox
from swarmops.store.sql.outbox import PENDING

BATCH = 100


class Publisher(Protocol):
    """Somewhere an event goes: Prefect's event stream, an Apprise target, a test fake."""

    def publish(self, event: OutboxEvent) -> None:
        """Deliver ``event`` or raise PublishError."""
        ...


def drain(store: Store, publishers: Sequence[Publisher], *, batch: int = BATCH) -> DrainReport:
    """Publish every pending event through each publisher, a batch per unit of work."""
    total = DrainReport()
    while True:
        with store.unit() as unit:
            done = _drain_batch(unit, publishers, batch)
        total = DrainReport(
            published=total.published + done.published,
            failed=total.failed + done.failed,
            errors=(*total.errors, *done.errors),
        )
        if done.published + done.failed < batch or done.failed:
            return total


def pending_count(store: Store) -> int:
    """How many committed events wait for a drain."""
    query = sa.select(sa.func.count()).where(outbox.c.published_at.is_(None))
    with store.unit(read_only=True) as unit:
        return int(unit.scalar(query) or 0)


def _drain_batch(unit: Unit, publishers: Sequence[Publisher], batch: int) -> DrainReport:
    events = [OutboxEvent.from_row(row) for row in unit.run(PENDING, {"b_limit": batch})]
    published, errors = 0, []
    for event in events:
        try:
            for publisher in publishers:
                publisher.publish(event)
        except PublishError as exc:
            _failed(unit, event, exc.message)
            errors.append(f"event {event.id} ({event.event}): {exc.message}")
            continue
        _sent(unit, event)
        published += 1
    return DrainReport(published=published, failed=len(errors), errors=tuple(errors))


def _sent(unit: Unit, event: OutboxEvent) -> None:
    now = unit.now()
    mark = outbox.c.id == event.id
    unit.execute(
        sa.update(outbox).where(mark).values(published_at=now, attempts=event.attempts + 1)
    )
    if event.alert_id is not None:
        unit.execute(sa.update(alerts).where(alerts.c.id == event.alert_id).values(notified_at=now))


def _failed(unit: Unit, event: OutboxEvent, error: str) -> None:
    unit.execute(
        sa.update(outbox)
        .where(outbox.c.id == event.id)
        .values(attempts=event.attempts + 1, last_error=error[:1000])
    )
