"""The agent gateway: one ASGI app (REST under /v1, MCP at /mcp, /metrics, /healthz, /readyz)
over the service the CLI's direct mode shares; see ``app.create_app`` and ``server``."""
