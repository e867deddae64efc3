"""Authenticating a presented bearer token: one indexed read, a constant-time compare."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from swarmops.errors import SwarmopsError
from swarmops.store import Unit
from swarmops.store.sql.named import plain
from swarmops.tokens.issue import PREFIX, digest
from swarmops.tokens.models import Principal

# Every request runs this: plain SQL on the driver cursor, like the transition hot path.
_BY_ID = plain(
    "tokens.by_id",
    "SELECT agent_id, role, secret_hash, expires_at, revoked_at FROM tokens WHERE id = {m}",
)
# Compared against when the id is unknown, so every miss costs the same compare.
_NOWHERE = digest("no such token")


class Unauthenticated(SwarmopsError):
    """The request carries no valid token (HTTP 401; the reason never includes the token)."""

    exit_code = 2


def parse_token(token: str) -> str:
    """The public id of a token in the ``swo_<id>_<secret>`` form."""
    prefix, _, rest = token.partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not token_id or not secret:
        raise Unauthenticated("malformed token")
    return token_id


def authenticate(unit: Unit, token: str) -> Principal:
    """The principal ``token`` acts as; Unauthenticated if unknown, expired or revoked."""
    token_id = parse_token(token)
    row = unit.raw(_BY_ID, (token_id,)).fetchone()
    stored = row[2] if row is not None else _NOWHERE
    matches = hmac.compare_digest(stored.encode(), digest(token).encode())
    if row is None or not matches:
        raise Unauthenticated("unknown token")
    agent_id, role, _, expires_at, revoked_at = row
    if revoked_at is not None:
        raise Unauthenticated("token revoked")
    if expires_at is not None and unit.codec.decode_time(expires_at) <= unit.now():
        raise Unauthenticated("token expired")
    return Principal(name=agent_id, role=role, token_id=token_id)


@dataclass(frozen=True)
class Bearer:
    """A token as presented, well formed but not yet checked against the store.

    The gateway checks it in the unit of the work it asks for: one indexed read in
    that same transaction, so authentication costs no transaction of its own and a
    revocation holds from the commit that made it, on every replica.
    """

    token: str = field(repr=False)  # never the secret, not even in a traceback
    token_id: str

    @classmethod
    def parse(cls, token: str) -> Bearer:
        """A well-formed ``swo_<id>_<secret>`` token, or Unauthenticated."""
        return cls(token, parse_token(token))

    def principal(self, unit: Unit) -> Principal:
        return authenticate(unit, self.token)
