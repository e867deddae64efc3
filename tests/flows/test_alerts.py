"""Alerts: one Prefect event per alerted resource, and Apprise only when configured."""

from __future__ import annotations

from typing import Any

import pytest

from swarmops.errors import PublishError
from tasks import alerts

STALLED = alerts.Alert(
    event=alerts.CONTRACT_STALLED, kind="contract", resource_id="c-101", message="c-101 stalled"
)


class FakeApprise:
    """Records what would have been sent; ``accepts``/``delivers`` script the outcome."""

    sent: list[dict[str, str]]
    accepts = delivers = True

    def __init__(self) -> None:
        self.sent = []
        FakeApprise.last = self  # type: ignore[attr-defined]

    def add(self, url: str) -> bool:
        return self.accepts

    def notify(self, title: str, body: str) -> bool:
        self.sent.append({"title": title, "body": body})
        return self.delivers


@pytest.fixture
def fake_apprise(monkeypatch: pytest.MonkeyPatch) -> type[FakeApprise]:
    import apprise

    monkeypatch.setattr(apprise, "Apprise", FakeApprise)
    return FakeApprise


@pytest.fixture
def emitted(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(alerts, "emit_event", lambda **event: seen.append(event))
    return seen


def test_each_alert_is_an_event_carrying_the_resource_id(emitted: list[dict[str, Any]]) -> None:
    assert alerts.send([STALLED], None, "title") == 1
    assert emitted[0]["event"] == "swarmops.contract.stalled"
    assert emitted[0]["resource"]["prefect.resource.id"] == "swarmops.contract.c-101"
    assert emitted[0]["resource"]["swarmops.contract.id"] == "c-101"


def test_apprise_is_notified_only_when_a_url_is_set(
    emitted: list[dict[str, Any]], fake_apprise: type[FakeApprise]
) -> None:
    FakeApprise.last = None  # type: ignore[attr-defined]
    alerts.send([STALLED], None, "swarmops")
    assert FakeApprise.last is None  # type: ignore[attr-defined]
    assert alerts.notify.fn("json://alerts.example/hook", "swarmops", [STALLED]) == 1
    assert FakeApprise.last.sent == [{"title": "swarmops", "body": "c-101 stalled"}]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("accepts", "delivers"), [(False, True), (True, False)])
def test_an_undelivered_notification_raises(
    fake_apprise: type[FakeApprise], monkeypatch: pytest.MonkeyPatch, accepts: bool, delivers: bool
) -> None:
    monkeypatch.setattr(FakeApprise, "accepts", accepts)
    monkeypatch.setattr(FakeApprise, "delivers", delivers)
    with pytest.raises(PublishError):
        alerts.notify.fn("json://alerts.example/hook", "swarmops", [STALLED])
