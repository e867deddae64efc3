"""``swarmops gateway`` (REST + MCP over HTTP) and ``swarmops mcp`` (the tools over stdio)."""

from __future__ import annotations

from typing import Annotated

import typer

from swarmops.cli.context import cli_context


def gateway(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Bind address.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="0: any free.")] = 8787,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Processes on the one socket.")
    ] = 1,
) -> None:
    """Serve the agent gateway: REST under /v1, MCP at /mcp, /metrics, /healthz, /readyz."""
    from swarmops.gateway.server import Bind, serve

    context = cli_context(ctx)
    context.store()  # no store is one line here, not a traceback in each worker; migrated once
    serve(context.settings, Bind(host, port), workers)


def mcp(ctx: typer.Context) -> None:
    """Serve the agent tools over stdio as the agent of SWARMOPS_TOKEN (for a local client)."""
    from swarmops.gateway.stdio import run_stdio

    run_stdio(cli_context(ctx).settings)
