"""Issuing, listing and revoking tokens (the operator's ``swarmops token`` commands)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa

from swarmops.errors import BadInput, NotFound
from swarmops.fsm.guards import SYSTEM
from swarmops.identifiers import is_identifier
from swarmops.store import Store, Unit
from swarmops.store.schema import tokens
from swarmops.tokens.models import ROLES, IssuedToken, TokenInfo

PREFIX = "swo"
ID_BYTES = 6
SECRET_BYTES = 32


def digest(token: str) -> str:
    """The stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    unit: Unit, name: str, role: str, *, expires_at: datetime | None = None
) -> IssuedToken:
    """A new token for agent (or operator) ``name``; the caller shows ``token`` once."""
    if role not in ROLES:
        raise BadInput(f"token role must be one of {', '.join(ROLES)}, not {role!r}")
    if not is_identifier(name) or name == SYSTEM:
        raise BadInput(f"not an agent or operator name: {name!r}")
    now = unit.now()
    if expires_at is not None and expires_at <= now:
        raise BadInput(f"--expires {expires_at.isoformat()} is not in the future")
    token_id = secrets.token_hex(ID_BYTES)
    token = f"{PREFIX}_{token_id}_{secrets.token_urlsafe(SECRET_BYTES)}"
    row = {
        "id": token_id,
        "agent_id": name,
        "role": role,
        "secret_hash": digest(token),
        "note": None,
        "created_at": now,
        "expires_at": expires_at,
        "revoked_at": None,
    }
    unit.execute(tokens.insert().values(**row))
    return IssuedToken(info=TokenInfo.model_validate(row), token=token)


def list_tokens(store: Store, *, name: str | None = None) -> list[TokenInfo]:
    """Every token (optionally one agent's), oldest first, without secrets."""
    query = sa.select(tokens).order_by(tokens.c.created_at, tokens.c.id)
    if name is not None:
        query = query.where(tokens.c.agent_id == name)
    with store.unit(read_only=True) as unit:
        return [TokenInfo.model_validate(dict(row)) for row in unit.execute(query).mappings()]


def revoke_token(unit: Unit, token_id: str) -> TokenInfo:
    """Revoke a token by id (revoking it again changes nothing)."""
    found = unit.execute(sa.select(tokens).where(tokens.c.id == token_id)).mappings().first()
    if found is None:
        raise NotFound(f"no token {token_id!r}")
    if found["revoked_at"] is not None:
        return TokenInfo.model_validate(dict(found))
    now = unit.now()
    unit.execute(tokens.update().where(tokens.c.id == token_id).values(revoked_at=now))
    return TokenInfo.model_validate({**dict(found), "revoked_at": now})
