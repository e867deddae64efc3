"""Who is calling: the bearer token a request presents.

Only its shape is checked here, without the store: the token itself is checked in
the unit of the work it asks for (``Gateway.write`` and ``Gateway.read``), so a
request costs one transaction, not two.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from swarmops.gateway.core import Gateway
from swarmops.tokens import Bearer
from swarmops.tokens.verify import Unauthenticated

bearer = HTTPBearer(auto_error=False, description="A token from `swarmops token issue`.")


async def gateway_of(request: Request) -> Gateway:
    """Async, like every dependency here: FastAPI runs a plain ``def`` on its thread pool."""
    gateway: Gateway = request.app.state.gateway
    return gateway


def bearer_token(authorization: str | None) -> Bearer:
    """The token of an ``Authorization: Bearer …`` header value, or Unauthenticated."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("missing bearer token")
    return Bearer.parse(token.strip())


async def caller(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Bearer:
    """The request's token, well formed; missing or malformed is a 401 at once."""
    if credentials is None:
        raise Unauthenticated("missing bearer token")
    return Bearer.parse(credentials.credentials.strip())


Caller = Annotated[Bearer, Depends(caller)]
GatewayDep = Annotated[Gateway, Depends(gateway_of)]
