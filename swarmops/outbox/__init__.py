"""The transactional outbox: alerts and stage events written with their cause, sent after.

``record`` writes (inside the caller's unit of work); ``drain`` is the one
publisher, run by the flows as a task, continuously by ``swarmops serve``, and by
CLI commands that raise alerts when a Prefect API is configured.
"""

from __future__ import annotations

from swarmops.outbox.drain import Publisher, drain, pending_count
from swarmops.outbox.models import AlertSpec, DrainReport, EventSpec, OutboxEvent
from swarmops.outbox.record import open_alerts, queue_event, raise_alert, resolve_alerts

__all__ = [
    "AlertSpec",
    "DrainReport",
    "EventSpec",
    "OutboxEvent",
    "Publisher",
    "drain",
    "open_alerts",
    "pending_count",
    "queue_event",
    "raise_alert",
    "resolve_alerts",
]
