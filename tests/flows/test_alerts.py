"""The outbox's publishers: a Prefect event per row carrying the resource and the row's
UUID as the event id, and Apprise only when configured, refusing loudly."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from swarmops.errors import PublishError
from swarmops.outbox import OutboxEvent
from swarmops.outbox.apprise import AppriseNotifier
from swarmops.settings import load_settings
from tasks import outbox

STALLED = OutboxEvent(
    id=7,
    event_id=str(uuid.uuid4()),
    event="swarmops.contract.stalled",
    resource_kind="contract",
    resource_id="c-101",
    message="c-101 stalled",
    payload={"severity": "warning"},
    alert_id=3,
    created_at=datetime(2026, 1, 5, 9, tzinfo=UTC),
    attempts=0,
)


class FakeApprise:
    """Records what would have been sent; ``accepts``/``delivers`` script the outcome."""

    accepts = delivers = True
    last: FakeApprise | None = None

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []
        FakeApprise.last = self

    def add(self, url: str) -> bool:
        return self.accepts

    def notify(self, title: str, body: str) -> bool:
        self.sent.append({"title": title, "body": body})
        return self.delivers


@pytest.fixture
def fake_apprise(monkeypatch: pytest.MonkeyPatch) -> type[FakeApprise]:
    import apprise

    monkeypatch.setattr(apprise, "Apprise", FakeApprise)
    FakeApprise.last = None
    return FakeApprise


def test_each_row_is_an_event_under_its_own_id(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(outbox, "emit_event", lambda **event: seen.append(event))
    outbox.PrefectEvents().publish(STALLED)
    [event] = seen
    assert (event["event"], event["id"]) == (
        "swarmops.contract.stalled",
        uuid.UUID(STALLED.event_id),
    )
    assert event["resource"]["prefect.resource.id"] == "swarmops.contract.c-101"
    assert event["resource"]["swarmops.contract.id"] == "c-101"
    assert event["payload"] == {"message": "c-101 stalled", "outbox_id": 7, "severity": "warning"}
    assert event["occurred"] == STALLED.created_at


def test_apprise_joins_the_publishers_only_when_a_url_is_set(
    fake_apprise: type[FakeApprise],
) -> None:
    plain = load_settings(None, environ={})
    assert [type(p).__name__ for p in outbox.publishers(plain)] == ["PrefectEvents"]
    assert FakeApprise.last is None
    url = "json://alerts.example/hook"
    configured = load_settings(None, environ={"SWARMOPS_ALERTS__APPRISE_URL": url})
    chosen = outbox.publishers(configured)
    assert [type(p).__name__ for p in chosen] == ["PrefectEvents", "AppriseNotifier"]
    chosen[1].publish(STALLED)
    assert FakeApprise.last is not None
    assert FakeApprise.last.sent == [
        {"title": "swarmops: contract.stalled", "body": "c-101 stalled"}
    ]


@pytest.mark.parametrize(("accepts", "delivers"), [(False, True), (True, False)])
def test_an_undelivered_notification_raises(
    fake_apprise: type[FakeApprise], monkeypatch: pytest.MonkeyPatch, accepts: bool, delivers: bool
) -> None:
    monkeypatch.setattr(FakeApprise, "accepts", accepts)
    monkeypatch.setattr(FakeApprise, "delivers", delivers)
    with pytest.raises(PublishError):
        AppriseNotifier("json://alerts.example/hook").publish(STALLED)
