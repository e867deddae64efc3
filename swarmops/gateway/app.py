"""The gateway's ASGI application: REST under ``/v1``, MCP at ``/mcp``, health and metrics.

``create_app`` builds it around one ``Gateway`` (store, service context, writer,
waiters). Every error is a problem document; every request is counted and timed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from mcp.server.mcpserver import Context
from starlette.concurrency import run_in_threadpool

from swarmops import __version__
from swarmops.gateway import problems, routes_agent, routes_other, routes_reservations
from swarmops.gateway.auth import SECURITY_SCHEME, bearer_token
from swarmops.gateway.core import Gateway
from swarmops.gateway.mcp_tools import build_mcp
from swarmops.gateway.metrics import MetricsMiddleware
from swarmops.tokens import Bearer
from swarmops.tokens.verify import Unauthenticated

MCP_PATH = "/mcp"


def create_app(gw: Gateway, *, host: str = "127.0.0.1") -> FastAPI:
    """The gateway app; ``host`` is the bind address (the MCP transport checks Host)."""
    mcp = build_mcp(gw, _http_bearer)
    mcp_app = mcp.streamable_http_app(
        streamable_http_path=MCP_PATH, stateless_http=True, json_response=True, host=host
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        gw.start()
        try:
            async with mcp.session_manager.run():
                yield
        finally:
            await run_in_threadpool(gw.close)

    app = FastAPI(title="swarmops agent gateway", version=__version__, lifespan=lifespan)
    app.state.gateway = gw
    problems.install(app)
    app.include_router(routes_agent.router)
    app.include_router(routes_reservations.router)
    app.include_router(routes_other.v1)
    app.include_router(routes_other.plain)
    app.router.routes.extend(mcp_app.routes)
    app.add_middleware(McpAuthMiddleware, gateway=gw)
    app.add_middleware(MetricsMiddleware, metrics=gw.metrics)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _http_bearer(ctx: Context) -> Bearer:
    headers = ctx.headers or {}
    return bearer_token(headers.get("authorization"))


class McpAuthMiddleware:
    """``/mcp`` answers 401 (a problem document) before MCP sees a request without a valid
    token; the tools authenticate again to learn who acts."""

    def __init__(self, app: Any, gateway: Gateway) -> None:
        self.app, self.gateway = app, gateway

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/") == MCP_PATH:
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
            }
            try:
                await self.gateway.principal(bearer_token(headers.get("authorization")))
            except Unauthenticated as exc:
                response = problems.problem(
                    401, "Unauthenticated", "Authentication required", str(exc)
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The schema, with the problem document every error response refers to."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Problem"] = problems.Problem.model_json_schema()
        components["securitySchemes"] = SECURITY_SCHEME
        for path, operations in schema["paths"].items():
            if path.startswith("/v1/"):
                for operation in operations.values():
                    operation["security"] = [{name: []} for name in SECURITY_SCHEME]
        app.openapi_schema = schema
    return app.openapi_schema
