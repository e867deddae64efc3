"""Who is calling: the bearer token a request presents, and the gateway it calls.

Only the token's shape is checked here, without the store: the token itself is
checked in the unit of the work it asks for (``Gateway.write`` and ``Gateway.read``),
so a request costs one transaction, not two. A route takes one dependency,
``CallDep``, not one per thing it needs: FastAPI's bookkeeping of each dependency
costs more than the heartbeat it serves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from swarmops.gateway.core import Gateway
from swarmops.service import Services
from swarmops.service.models import Refused
from swarmops.tokens import Bearer, Principal
from swarmops.tokens.verify import Unauthenticated

T = TypeVar("T")
# The OpenAPI security scheme every /v1 operation declares (see app._openapi).
SECURITY_SCHEME = {
    "HTTPBearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from `swarmops token issue`.",
    }
}


def bearer_token(authorization: str | None) -> Bearer:
    """The token of an ``Authorization: Bearer …`` header value, or Unauthenticated."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("missing bearer token")
    return Bearer.parse(token.strip())


@dataclass(frozen=True)
class Call:
    """One request: the gateway it reached and the token it presented."""

    gw: Gateway
    bearer: Bearer

    @property
    def services(self) -> Services:
        return self.gw.services

    async def write(self, work: Callable[..., T | Refused]) -> T:
        """``work(unit, caller=…)`` group-committed, as the token's principal."""
        return await self.gw.write(self.bearer, work)

    async def read(self, work: Callable[..., T]) -> T:
        """``work(unit, caller=…)`` on a read-only unit, as the token's principal."""
        return await self.gw.read(self.bearer, work)

    async def principal(self) -> Principal:
        return await self.gw.principal(self.bearer)


def gateway_of(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


async def call_of(request: Request) -> Call:
    """The request's call; a missing or malformed token is a 401 at once."""
    return Call(gateway_of(request), bearer_token(request.headers.get("authorization")))


CallDep = Annotated[Call, Depends(call_of)]
