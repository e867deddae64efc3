"""The agent records: the desired spec, the projection row, the log event, a result."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from swarmops.identifiers import Identifier, Role
from swarmops.limits import Capacity


class AgentSpec(BaseModel):
    """What an agent should be (from config or ``agent register``); the state is not in it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    role: Role
    capacity: Capacity = 1
    skills: tuple[str, ...] = ()

    @field_validator("skills")
    @classmethod
    def _clean_skills(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        """Skills are a set: order and repeats carry no meaning, so compare equal without them."""
        return tuple(sorted({skill.strip() for skill in value if skill.strip()}))


class Agent(BaseModel):
    """The projection of one agent: its current state and the version (number of events)."""

    model_config = ConfigDict(frozen=True)

    id: str
    role: str
    state: str
    version: int
    capacity: int
    skills: tuple[str, ...]
    heartbeat_at: datetime | None
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Agent:
        return cls(
            id=row["id"],
            role=row["role"],
            state=row["state"],
            version=row["version"],
            capacity=row["capacity"],
            skills=tuple(row["skills"]),
            heartbeat_at=row["heartbeat_at"],
            updated_at=row["updated_at"],
        )

    def spec(self) -> AgentSpec:
        return AgentSpec(id=self.id, role=self.role, capacity=self.capacity, skills=self.skills)


class AgentEvent(BaseModel):
    """One entry of an agent's append-only log; ``seq`` counts from 1 (the registration)."""

    model_config = ConfigDict(frozen=True)

    id: int
    agent_id: str
    seq: int
    from_state: str | None
    to_state: str
    at: datetime
    actor: str
    reason: str | None
    key: str | None

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> AgentEvent:
        return cls(
            id=row["id"],
            agent_id=row["agent_id"],
            seq=row["seq"],
            from_state=row["from_state"],
            to_state=row["to_state"],
            at=row["at"],
            actor=row["actor"],
            reason=row["reason"],
            key=row["idempotency_key"],
        )

    def public(self) -> dict[str, Any]:
        """The event as the CLI prints it (without the agent id and sequence number)."""
        return self.model_dump(
            mode="json", include={"id", "from_state", "to_state", "at", "actor", "reason", "key"}
        )


class TransitionResult(BaseModel):
    """A transition's outcome; ``replayed`` when an idempotency key had already been used."""

    model_config = ConfigDict(frozen=True)

    agent: Agent
    event: AgentEvent
    replayed: bool

    def public(self) -> dict[str, Any]:
        return {
            "agent": self.agent.model_dump(mode="json"),
            "event": self.event.public(),
            "replayed": self.replayed,
        }
