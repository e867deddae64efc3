"""Who is calling: the bearer token of a request, authenticated against the store."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from swarmops.gateway.core import Gateway
from swarmops.tokens import Principal
from swarmops.tokens.verify import Unauthenticated

bearer = HTTPBearer(auto_error=False, description="A token from `swarmops token issue`.")


def gateway_of(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer …`` header value, or Unauthenticated."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("missing bearer token")
    return token.strip()


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The request's principal (a sync dependency: FastAPI runs it on its thread pool)."""
    if credentials is None:
        raise Unauthenticated("missing bearer token")
    return gateway_of(request).authenticate(credentials.credentials)


Caller = Annotated[Principal, Depends(caller)]
GatewayDep = Annotated[Gateway, Depends(gateway_of)]
