"""Apprise as an outbox publisher: one notification per event, when a URL is configured."""

from __future__ import annotations

from swarmops.errors import PublishError
from swarmops.outbox.models import OutboxEvent


class AppriseNotifier:
    """Notifies every Apprise target of ``url`` (any scheme Apprise knows)."""

    def __init__(self, url: str) -> None:
        import apprise

        self._apprise = apprise.Apprise()
        if not self._apprise.add(url):
            raise PublishError(f"not an Apprise URL: {url!r}")

    def publish(self, event: OutboxEvent) -> None:
        title = f"swarmops: {event.event.removeprefix('swarmops.')}"
        if not self._apprise.notify(title=title, body=event.message):
            raise PublishError(f"Apprise could not deliver event {event.id} ({event.event})")
