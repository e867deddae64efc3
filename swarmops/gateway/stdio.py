"""``swarmops mcp``: the same tools over stdio, for a local MCP client.

The process acts as the agent of the ``SWARMOPS_TOKEN`` it was started with,
checked against the store on every call (a revoked token stops working at once):
``claude mcp add swarmops -e SWARMOPS_TOKEN=… -- swarmops mcp``.
"""

from __future__ import annotations

import asyncio
import os

from swarmops.settings import Settings
from swarmops.tokens.verify import Bearer, Unauthenticated

TOKEN_ENV = "SWARMOPS_TOKEN"


def run_stdio(settings: Settings) -> None:
    """Serve the tools on stdin/stdout until the client closes them."""
    from swarmops.gateway.core import Gateway
    from swarmops.gateway.mcp_tools import build_mcp
    from swarmops.service import build_services
    from swarmops.store import open_store

    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise Unauthenticated(f"{TOKEN_ENV} is not set: `swarmops token issue AGENT` makes one")
    gw = Gateway(open_store(settings.store_url), build_services(settings))
    bearer = Bearer.parse(token)
    server = build_mcp(gw, lambda _ctx: bearer)

    async def main() -> None:
        gw.start()
        try:
            await server.run_stdio_async()
        finally:
            await asyncio.to_thread(gw.close)

    asyncio.run(main())
