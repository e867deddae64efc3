# swarmops: allow[classes-per-file] the service's wire schema, one model per request and answer, read together by FastAPI and the MCP tools
"""What the service takes and gives: one model per request and answer, shared by REST and MCP.

These are the wire shapes: FastAPI builds the OpenAPI schema from them and the MCP
tools their input schemas, so both doors validate the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from swarmops.contracts import Contract, ProgressEvent
from swarmops.errors import SwarmopsError
from swarmops.fsm import Agent, AgentEvent
from swarmops.identifiers import Identifier, Role
from swarmops.limits import MAX_BIGINT, MAX_INT, Capacity
from swarmops.reservations.models import DEFAULT_TTL_S, MAX_TTL_S, Reservation

Key = Field(default=None, description="Idempotency key.")


class Request(BaseModel):
    """A request body: no unknown field, and no NUL character anywhere (no store keeps one)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        if _has_nul(data):
            raise ValueError("text must not contain NUL (\\u0000) characters")
        return data


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


class TransitionBody(Request):
    to_state: str = Field(min_length=1, max_length=32, description="The state to move to.")
    reason: str | None = Field(default=None, max_length=2000)
    expect_version: int | None = Field(default=None, ge=0, le=MAX_INT)
    key: Identifier | None = Key


class TokenBody(Request):
    token: int = Field(ge=0, le=MAX_INT, description="The fencing or lease token you hold.")


class ProgressBody(Request):
    percent: float | None = Field(default=None, ge=0, le=100)
    task_id: Identifier | None = None
    done: bool = False
    note: str | None = Field(default=None, max_length=2000)
    key: Identifier | None = Key
    allow_regress: bool = False
    token: int | None = Field(default=None, ge=0, le=MAX_INT)


class SendBody(Request):
    body: Any = Field(description="The message body: any JSON value.")
    to: Identifier | None = None
    role: Role | None = None
    broadcast: bool = False
    priority: int = Field(default=0, ge=0, le=9)
    ttl_s: float | None = Field(default=None, gt=0, le=10**8)
    delay_s: float = Field(default=0, ge=0, le=10**8)
    key: Identifier | None = Key
    reply_to: int | None = Field(default=None, ge=1, le=MAX_BIGINT)
    correlation_id: Identifier | None = None


class FetchBody(Request):
    max_messages: int = Field(default=10, ge=1, le=100)
    lease_s: float | None = Field(default=None, gt=0, le=86400, description="Lease seconds.")
    wait: float = Field(default=0, ge=0, le=60, description="Seconds to wait when empty.")


class NackBody(TokenBody):
    reason: str | None = Field(default=None, max_length=2000)


class ComplianceBody(Request):
    path: str = Field(min_length=1, max_length=1024, description="Repository-relative path.")
    content: str = Field(max_length=2_000_000, description="The file's full content.")


class RegisterBody(Request):
    id: Identifier
    role: Role
    capacity: Capacity = 1
    skills: list[str] = Field(default_factory=list, max_length=100)
    update: bool = False


class StatusBody(Request):
    to_status: str = Field(min_length=1, max_length=32)


class SessionBody(Request):
    """What the agent's tool says of the session it starts (both optional)."""

    tool: str | None = Field(default=None, max_length=64, description="e.g. claude-code.")
    session_id: str | None = Field(default=None, max_length=256)


class Session(BaseModel):
    """The answer to start_session: who you are, what you hold, what waits for you."""

    agent: Agent
    contracts: list[Contract]
    unread: int
    reservations: list[Reservation] = Field(default_factory=list)


class SessionStopped(BaseModel):
    """A stopped session: the agent is idle, not dead, until it starts another."""

    agent_id: str
    idle: bool = True


class ReserveBody(Request):
    """Paths or globs of one repository (gitwildmatch, repository-relative), all or none."""

    repository: str = Field(min_length=1, max_length=256)
    patterns: list[str] = Field(min_length=1, max_length=100)
    exclusive: bool = Field(default=True, description="False: shared, for readers.")
    ttl_s: float = Field(default=DEFAULT_TTL_S, gt=0, le=MAX_TTL_S, description="Lease.")
    contract_id: Identifier | None = None
    reason: str | None = Field(default=None, max_length=2000)


class ReleaseBody(Request):
    """The reservation ids to end, or (none given) every one, in ``repository`` if given."""

    ids: list[Annotated[int, Field(ge=1, le=MAX_BIGINT)]] = Field(
        default_factory=list, max_length=1000
    )
    repository: str | None = Field(default=None, min_length=1, max_length=256)


class PathsBody(Request):
    repository: str = Field(min_length=1, max_length=256)
    paths: list[str] = Field(min_length=1, max_length=1000)


class PathHeld(BaseModel):
    """A path asked about, and the other agent's live reservation covering it."""

    path: str
    agent_id: str
    pattern: str
    mode: str
    expires_at: str
    reservation_id: int


class PathConflicts(BaseModel):
    conflicts: list[PathHeld]


class Released(BaseModel):
    reason: str
    reservations: list[Reservation]
    count: int


class TransitionAnswer(BaseModel):
    agent: Agent
    event: AgentEvent
    replayed: bool


class ClaimAnswer(BaseModel):
    contract: Contract | None
    token: int | None


class ProgressAnswer(BaseModel):
    event: ProgressEvent
    status: str
    replayed: bool


class SendAnswer(BaseModel):
    ids: list[int]
    recipients: list[str]
    queue: str
    duplicate: bool


class Delivery(BaseModel):
    id: int
    sender: str
    recipient: str
    priority: int
    body: Any
    attempts: int
    lease_token: int
    lease_expires_at: str | None
    correlation_id: str | None
    reply_to: int | None


class Inbox(BaseModel):
    messages: list[Delivery]


class Settled(BaseModel):
    id: int
    status: str
    attempts: int
    lease_token: int
    dead_reason: str | None


class FindingOut(BaseModel):
    path: str
    rule: str
    severity: str
    line: int
    symbol: str | None
    value: int
    limit: int
    status: str | None
    message: str


class ComplianceAnswer(BaseModel):
    path: str
    findings: list[FindingOut]
    new: int
    rules_source: str


class Report(BaseModel):
    """An operator command's report, as the CLI prints it in JSON."""

    report: dict[str, Any]


@dataclass(frozen=True)
class Refused:
    """A refusal whose record must commit (a lost lease's ``fencing_rejections`` row): the
    unit keeps what the call wrote, and the caller is answered with ``error``."""

    error: SwarmopsError
