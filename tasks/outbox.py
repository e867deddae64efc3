"""Draining the outbox into Prefect events (and Apprise, when configured).

The outbox row's UUID is the Prefect event's id, so an event published twice (a
crash after the send and before the commit) is recognisably the same event. The
drain is a task of every flow that raises alerts, runs continuously in
``swarmops serve``, and runs at the end of CLI commands that raise alerts when a
Prefect API is configured.
"""

from __future__ import annotations

import uuid

from prefect import task
from prefect.events import emit_event

from swarmops.errors import PublishError
from swarmops.outbox import DrainReport, OutboxEvent, Publisher, drain
from swarmops.outbox.apprise import AppriseNotifier
from swarmops.settings import Settings
from tasks.policy import io_policy
from tasks.stores import store_for


class PrefectEvents:
    """Publishes outbox rows as Prefect events carrying the alerted resource's id."""

    def publish(self, event: OutboxEvent) -> None:
        resource = {
            "prefect.resource.id": f"swarmops.{event.resource_kind}.{event.resource_id}",
            "prefect.resource.name": event.resource_id,
            f"swarmops.{event.resource_kind}.id": event.resource_id,
        }
        payload = {"message": event.message, "outbox_id": event.id, **event.payload}
        try:
            emit_event(
                event=event.event,
                resource=resource,
                occurred=event.created_at,
                payload=payload,
                id=uuid.UUID(event.event_id),
            )
        except (OSError, RuntimeError, ValueError) as exc:
            raise PublishError(f"Prefect event {event.event}: {exc}") from exc


def publishers(settings: Settings) -> list[Publisher]:
    """Prefect events always; Apprise too when the settings name a URL."""
    chosen: list[Publisher] = [PrefectEvents()]
    if settings.alerts.apprise_url:
        chosen.append(AppriseNotifier(settings.alerts.apprise_url))
    return chosen


def api_configured() -> bool:
    """Whether a Prefect API (a server or Cloud) is set to take events, in the environment
    or the active profile."""
    from prefect.settings import PREFECT_API_URL

    return bool(PREFECT_API_URL.value())


def drain_now(settings: Settings) -> DrainReport:
    """Publish every committed event, then wait until Prefect's client has sent them."""
    from prefect.events.worker import EventsWorker

    report = drain(store_for(settings.store_url), publishers(settings))
    EventsWorker.drain_all(timeout=30)
    return report


@task(name="publish-outbox", **io_policy())
def publish_outbox(settings: Settings) -> DrainReport:
    """Send the alerts and stage events committed so far; what fails waits for the next run."""
    return drain(store_for(settings.store_url), publishers(settings))
