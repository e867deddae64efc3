"""A thin httpx client of the agent gateway (no SQLAlchemy, pandas or Prefect import).

Errors come back as problem documents; ``GatewayError`` carries their detail line and
maps the status to the CLI's exit code (4xx bad input: 2, 409 a conflict: 1, 5xx: 1).
"""

from __future__ import annotations

from swarmops.client.http import GatewayClient, GatewayError

__all__ = ["GatewayClient", "GatewayError"]
