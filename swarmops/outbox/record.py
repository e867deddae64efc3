"""Writing to the outbox, always inside the unit of work of the change that causes it.

An alert and the event announcing it commit together or not at all: nothing is
sent before its commit (only the drain sends), and nothing committed is lost (the
row waits until a drain publishes it).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from swarmops.outbox.models import AlertSpec, EventSpec
from swarmops.store import Unit
from swarmops.store.schema import alerts, outbox
from swarmops.store.sql.outbox import OPEN_ALERT


def raise_alert(unit: Unit, spec: AlertSpec) -> int | None:
    """Open ``spec`` and queue its event; None (and nothing written) when one is open."""
    row = spec.model_dump(include={"kind", "resource_kind", "resource_id", "severity", "message"})
    alert_id = unit.run(OPEN_ALERT, {**row, "raised_at": unit.now()}).scalar()
    if alert_id is None:
        return None
    payload = {"severity": spec.severity, "alert_id": alert_id, **spec.payload}
    queue_event(unit, spec, payload=payload, alert_id=alert_id)
    return int(alert_id)


def queue_event(
    unit: Unit,
    spec: EventSpec,
    *,
    payload: dict[str, Any] | None = None,
    alert_id: int | None = None,
) -> str:
    """Queue one event about ``spec``'s resource (``payload`` replaces the spec's own);
    returns its event id (a UUID)."""
    event_id = str(uuid.uuid4())
    unit.execute(
        outbox.insert().values(
            event_id=event_id,
            event=spec.event,
            resource_kind=spec.resource_kind,
            resource_id=spec.resource_id,
            message=spec.message,
            payload=spec.payload if payload is None else payload,
            alert_id=alert_id,
            created_at=unit.now(),
        )
    )
    return event_id


def resolve_alerts(unit: Unit, kind: str, resource_ids: Iterable[str]) -> list[str]:
    """Resolve the open ``kind`` alerts of these resources; the ids resolved."""
    wanted = list(resource_ids)
    if not wanted:
        return []
    resolved = unit.execute(
        sa.update(alerts)
        .where(alerts.c.kind == kind, alerts.c.resolved_at.is_(None))
        .where(alerts.c.resource_id.in_(wanted))
        .values(resolved_at=unit.now())
        .returning(alerts.c.resource_id)
    )
    return sorted(resolved.scalars())


def open_alerts(unit: Unit, kind: str) -> dict[str, int]:
    """The open ``kind`` alerts, by resource id."""
    query = sa.select(alerts.c.resource_id, alerts.c.id).where(
        alerts.c.kind == kind, alerts.c.resolved_at.is_(None)
    )
    return {resource: alert_id for resource, alert_id in unit.execute(query)}
