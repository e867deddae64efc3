"""What the outbox holds: alerts to open and the events that announce them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class EventSpec(BaseModel):
    """An event about one resource, to be published after its cause commits."""

    model_config = ConfigDict(frozen=True)

    kind: str  # e.g. "agent.offline" or "stage.completed"; the event is "swarmops.<kind>"
    resource_kind: str  # "agent", "contract", "probe", "compliance", "stage"
    resource_id: str
    message: str
    payload: dict[str, Any] = Field(default_factory=dict)

    @property
    def event(self) -> str:
        return f"swarmops.{self.kind}"


class AlertSpec(EventSpec):
    """An alert about one resource; at most one of a kind is open per resource."""

    severity: str


class OutboxEvent(BaseModel):
    """One committed event waiting for (or past) its publication."""

    model_config = ConfigDict(frozen=True)

    id: int
    event_id: str  # a UUID, sent as the Prefect event's id so a retried publish is the same event
    event: str
    resource_kind: str
    resource_id: str
    message: str
    payload: dict[str, Any]
    alert_id: int | None
    created_at: datetime
    attempts: int

    @classmethod
    def from_row(cls, row: Any) -> OutboxEvent:
        return cls.model_validate(dict(row._mapping))


class DrainReport(BaseModel):
    """What one drain published and what failed (left for the next drain)."""

    model_config = ConfigDict(frozen=True)

    published: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()

    def summary(self) -> str:
        text = f"{self.published} event(s) published"
        return f"{text}, {self.failed} failed: {self.errors[0]}" if self.failed else text
