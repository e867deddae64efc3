"""Token records: what the store lists, what issuing prints once, who a request acts as."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

AGENT = "agent"
OPERATOR = "operator"
ROLES = (AGENT, OPERATOR)
Role = Literal["agent", "operator"]


class TokenInfo(BaseModel):
    """A stored token without its secret (``token list``)."""

    model_config = ConfigDict(frozen=True)

    id: str
    agent_id: str
    role: Role
    note: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class IssuedToken(BaseModel):
    """A token just issued: ``token`` is shown this once and never stored."""

    model_config = ConfigDict(frozen=True)

    info: TokenInfo
    token: str


class Principal(BaseModel):
    """Who an authenticated request acts as: an agent (its id) or an operator (a name)."""

    model_config = ConfigDict(frozen=True)

    name: str
    role: Role
    token_id: str

    @property
    def is_operator(self) -> bool:
        return self.role == OPERATOR
