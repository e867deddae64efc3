"""What a reservation is, what an agent asks for, and what it gets back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from swarmops.errors import Conflict as ConflictError

DEFAULT_TTL_S = 1800.0
MAX_TTL_S = 7 * 24 * 3600.0


class Reservation(BaseModel):
    """One lease on a path glob of a repository, held by one agent."""

    model_config = ConfigDict(frozen=True)

    id: int
    repository: str
    pattern: str
    exclusive: bool
    agent_id: str
    contract_id: str | None
    token: int  # the fencing token: larger than every earlier grant in this repository
    ttl_s: float
    reason: str | None
    created_at: datetime
    renewed_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None
    end_reason: str | None = None

    @classmethod
    def from_row(cls, row: Any) -> Reservation:
        return cls.model_validate(dict(row._mapping))

    @property
    def mode(self) -> str:
        return "exclusive" if self.exclusive else "shared"


class ReserveRequest(BaseModel):
    """An agent's ask: these patterns of one repository, for ``ttl_s`` seconds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    agent_id: str = Field(min_length=1, max_length=128)
    repository: str = Field(min_length=1, max_length=256)
    patterns: tuple[str, ...] = Field(min_length=1, max_length=100)
    exclusive: bool = True
    ttl_s: float = Field(default=DEFAULT_TTL_S, gt=0, le=MAX_TTL_S)
    contract_id: str | None = Field(default=None, min_length=1, max_length=128)
    reason: str | None = Field(default=None, max_length=2000)


class Conflict(BaseModel):
    """A pattern asked for that another agent's reservation overlaps."""

    model_config = ConfigDict(frozen=True)

    pattern: str
    held: Reservation

    def describe(self) -> str:
        held = self.held
        return (
            f"{self.pattern} overlaps {held.pattern} held {held.mode} by {held.agent_id} "
            f"until {held.expires_at.isoformat(timespec='seconds')} (reservation {held.id})"
        )


class ReserveResult(BaseModel):
    """All or nothing: every pattern granted (with its token), or the conflicts."""

    model_config = ConfigDict(frozen=True)

    granted: bool
    reservations: list[Reservation] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)


class Ended(BaseModel):
    """Reservations that ended in one call, and why."""

    model_config = ConfigDict(frozen=True)

    reason: str
    reservations: list[Reservation] = Field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.reservations)


class ReservationRefused(ConflictError):
    """Another agent holds an overlapping reservation (exit 1)."""
