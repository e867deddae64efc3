"""How a hook reaches swarmops: the gateway over HTTP, or the store directly.

``Coordinator`` is the interface; ``GatewayClient`` is the one the agents use
(``SWARMOPS_API_URL`` and ``SWARMOPS_TOKEN``; plain ``http.client``, so a hook pays
no httpx, SQLAlchemy or pydantic import), ``StoreClient`` the direct mode for a host
that holds the store (``SWARMOPS_STORE_URL``; slower to start, used by the git guard
and where no gateway runs). Any failure to get an answer in time is ``Unreachable``:
the hooks fail open on it.
"""

from __future__ import annotations

import json
import os
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

API_ENV, TOKEN_ENV, STORE_ENV = "SWARMOPS_API_URL", "SWARMOPS_TOKEN", "SWARMOPS_STORE_URL"
AGENT_ENV, BUDGET_ENV = "SWARMOPS_AGENT", "SWARMOPS_HOOK_BUDGET_S"
DEFAULT_BUDGET_S = 2.0
MAX_BUDGET_S = 60.0


class Unreachable(Exception):
    """swarmops did not answer (down, refused, timed out, or answered with an error)."""


class Coordinator(Protocol):
    """What the hooks ask of swarmops, for one agent."""

    def start_session(self, tool: str, session_id: str | None) -> dict[str, Any]: ...

    def heartbeat(self) -> None: ...

    def stop_session(self) -> None: ...

    def conflicts(self, repository: str, paths: list[str]) -> list[dict[str, Any]]:
        """Other agents' live reservations covering ``paths``: one dict per (path,
        reservation) with ``path``, ``agent_id``, ``pattern``, ``mode``, ``expires_at``."""
        ...

    def close(self) -> None: ...


class GatewayClient:
    """The agent gateway's REST API, within a time budget per request."""

    def __init__(self, url: str, token: str, agent_id: str, budget_s: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Unreachable(f"{API_ENV} is not an http(s) URL: {url!r}")
        self.parts, self.token, self.budget_s = parts, token, budget_s
        self.base = f"{parts.path.rstrip('/')}/v1/agents/{quote(agent_id, safe='')}"

    def start_session(self, tool: str, session_id: str | None) -> dict[str, Any]:
        return self._post("/session", {"tool": tool, "session_id": session_id})

    def heartbeat(self) -> None:
        self._post("/heartbeat", None)

    def stop_session(self) -> None:
        self._post("/session/stop", None)

    def conflicts(self, repository: str, paths: list[str]) -> list[dict[str, Any]]:
        answer = self._post("/reservations/check", {"repository": repository, "paths": paths})
        return list(answer.get("conflicts", []))

    def close(self) -> None:
        """Nothing is kept open between requests."""

    def _post(self, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        import http.client  # only when a gateway is configured: it costs a tenth of the budget

        kind = (
            http.client.HTTPSConnection
            if self.parts.scheme == "https"
            else http.client.HTTPConnection
        )
        connection = kind(self.parts.hostname, self.parts.port, timeout=self.budget_s)
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        try:
            connection.request("POST", self.base + path, json.dumps(body or {}), headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            raise Unreachable(f"gateway {self.parts.netloc} unreachable: {exc}") from exc
        finally:
            connection.close()
        return _decoded(response.status, data, self.parts.netloc)


def _decoded(status: int, data: bytes, where: str) -> dict[str, Any]:
    try:
        answer = json.loads(data or b"{}")
    except ValueError as exc:
        raise Unreachable(f"gateway {where} answered {status} with no JSON") from exc
    if status >= 400:
        detail = answer.get("detail") if isinstance(answer, dict) else None
        raise Unreachable(f"gateway {where} answered {status}: {detail or 'error'}")
    return answer if isinstance(answer, dict) else {}


def budget_s(text: str | None) -> float:
    """``SWARMOPS_HOOK_BUDGET_S``: seconds per gateway request, 0 < S <= 60. A value that is
    not a finite number in range is the default, as every hook setting it does not know
    is (a hook fails open rather than block the agent on its own configuration)."""
    try:
        value = float(text or DEFAULT_BUDGET_S)
    except ValueError:
        return DEFAULT_BUDGET_S
    return value if 0 < value <= MAX_BUDGET_S else DEFAULT_BUDGET_S


def from_environment(env: dict[str, str] | None = None) -> Coordinator | None:
    """The coordinator the environment configures, or None when none is."""
    env = dict(os.environ if env is None else env)
    agent = env.get(AGENT_ENV)
    if not agent:
        return None
    budget = budget_s(env.get(BUDGET_ENV))
    if env.get(API_ENV):
        return GatewayClient(env[API_ENV], env.get(TOKEN_ENV, ""), agent, budget)
    if env.get(STORE_ENV):
        from swarmops.hooks.direct import StoreClient

        return StoreClient(env[STORE_ENV], agent)
    return None
