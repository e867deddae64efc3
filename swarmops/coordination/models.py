"""Records of the message bus: what a sender asks for and what a consumer gets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from swarmops.errors import BadInput

# The keys `msg recv` prints for each claimed message, in this order.
DELIVERY_FIELDS = (
    "id",
    "sender",
    "recipient",
    "priority",
    "body",
    "attempts",
    "lease_token",
    "lease_expires_at",
    "correlation_id",
    "reply_to",
)


class SendRequest(BaseModel):
    """One send: exactly one of ``to``, ``role`` or ``broadcast`` names the audience."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sender: str = Field(min_length=1, max_length=128)
    body: Any
    to: str | None = None
    role: str | None = None
    broadcast: bool = False
    priority: int = 0
    ttl_s: float | None = None
    delay_s: float = 0
    key: str | None = Field(default=None, max_length=256)
    reply_to: int | None = None
    correlation_id: str | None = Field(default=None, max_length=128)

    @model_validator(mode="after")
    def _one_audience(self) -> SendRequest:
        audiences = [self.to is not None, self.role is not None, self.broadcast]
        if sum(audiences) != 1:
            raise BadInput("send to exactly one of: an agent, a role, or broadcast")
        if not 0 <= self.priority <= 9:
            raise BadInput(f"priority must be 0-9, not {self.priority}")
        if self.ttl_s is not None and self.ttl_s <= 0:
            raise BadInput(f"ttl must be positive seconds, not {self.ttl_s}")
        if self.delay_s < 0:
            raise BadInput(f"not-before delay must not be negative, not {self.delay_s}")
        return self

    @property
    def queue(self) -> str:
        """The queue name: the agent id, ``role:NAME`` or ``broadcast``."""
        if self.role is not None:
            return f"role:{self.role}"
        return "broadcast" if self.broadcast else str(self.to)

    @property
    def queue_kind(self) -> str:
        if self.role is not None:
            return "role"
        return "broadcast" if self.broadcast else "direct"


class Message(BaseModel):
    """A message row as stored; ``lease_token`` is the fencing token of its lease."""

    model_config = ConfigDict(frozen=True)

    id: int
    sender: str
    recipient: str
    queue: str
    priority: int
    body: Any
    status: str
    attempts: int
    max_attempts: int
    visible_at: datetime
    expires_at: datetime | None
    lease_token: int
    lease_expires_at: datetime | None
    correlation_id: str | None
    reply_to: int | None
    dead_reason: str | None
    created_at: datetime
    idempotency_key: str | None
    dead_count: int = 0  # times dead-lettered; a replay keeps it

    @classmethod
    def from_row(cls, row: Any) -> Message:
        return cls.model_validate(dict(row._mapping))

    def delivery(self) -> dict[str, Any]:
        """The fields a consumer sees for a claimed message."""
        return self.model_dump(mode="json", include=set(DELIVERY_FIELDS))


class SendResult(BaseModel):
    """The messages one send created (or found, when its key was seen before)."""

    model_config = ConfigDict(frozen=True)

    ids: list[int]
    recipients: list[str]
    queue: str
    duplicate: bool


class AckBatch(BaseModel):
    """A batch ack: the ids acked (now or by an earlier retry) and those whose lease was lost."""

    model_config = ConfigDict(frozen=True)

    acked: list[int]
    lost: list[int]


class BusStats(BaseModel):
    """Queue depths for metrics: open (pending or leased) messages per queue, the dead
    letters now, and every move to the dead letters ever (never decreases)."""

    model_config = ConfigDict(frozen=True)

    open_by_queue: dict[str, int]
    leased: int
    dead: int
    dead_lettered: int = 0
