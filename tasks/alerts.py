"""Alerts as Prefect events (so Automations can act on them) and, when settings name
an Apprise URL, a direct notification. Events carry the alerted resource's id."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from prefect import task
from prefect.events import emit_event
from pydantic import BaseModel, ConfigDict

from swarmops.errors import PublishError
from tasks.policy import io_policy

CONTRACT_STALLED = "swarmops.contract.stalled"
COMPLIANCE_REGRESSED = "swarmops.compliance.regressed"
AGENT_OFFLINE = "swarmops.agent.offline"
PROBE_FAILED = "swarmops.probe.failed"


class Alert(BaseModel):
    """One alert to send: its event name, the resource it is about, and a message."""

    model_config = ConfigDict(frozen=True)

    event: str
    kind: str
    resource_id: str
    message: str
    payload: dict[str, Any] = {}


def emit(alerts: Iterable[Alert]) -> int:
    """Emit one Prefect event per alert; returns how many were emitted."""
    count = 0
    for alert in alerts:
        emit_event(
            event=alert.event,
            resource={
                "prefect.resource.id": f"swarmops.{alert.kind}.{alert.resource_id}",
                "prefect.resource.name": alert.resource_id,
                f"swarmops.{alert.kind}.id": alert.resource_id,
            },
            payload={"message": alert.message, **alert.payload},
        )
        count += 1
    return count


@task(name="notify", **io_policy())
def notify(apprise_url: str, title: str, alerts: list[Alert]) -> int:
    """Send one Apprise notification listing the alerts; raises when it is not delivered."""
    import apprise

    sender = apprise.Apprise()
    if not sender.add(apprise_url):
        raise PublishError(f"not an Apprise URL: {apprise_url!r}")
    if not sender.notify(title=title, body="\n".join(a.message for a in alerts)):
        raise PublishError(f"Apprise could not deliver {len(alerts)} alert(s)")
    return len(alerts)


def send(alerts: list[Alert], apprise_url: str | None, title: str) -> int:
    """Emit every alert as an event, and notify through Apprise when a URL is set."""
    count = emit(alerts)
    if alerts and apprise_url:
        notify(apprise_url, title, alerts)
    return count
