"""``GatewayClient``: one method per agent-facing call of the gateway's REST API."""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import quote

import httpx

from swarmops.errors import SwarmopsError

# A request's header and body go out as two writes: without TCP_NODELAY the body waits
# for the server's delayed ACK of the header (about 40 ms per call).
NODELAY = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]


class GatewayError(SwarmopsError):
    """The gateway refused the request (its problem document's detail is the message)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.exit_code = 1 if status == 409 or status >= 500 else 2


def _path(*parts: object) -> str:
    return "/".join(quote(str(part), safe="") for part in parts)


class GatewayClient:
    """Calls the gateway at ``url`` with bearer ``token``; every method returns the JSON."""

    def __init__(self, url: str, token: str, *, timeout: float = 90.0) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        transport = httpx.HTTPTransport(socket_options=NODELAY)
        self._http = httpx.Client(
            base_url=url.rstrip("/"), headers=headers, timeout=timeout, transport=transport
        )

    def close(self) -> None:
        self._http.close()

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        try:
            response = self._http.request(method, path, json=body)
        except httpx.HTTPError as exc:
            raise GatewayError(503, f"gateway {self._http.base_url} unreachable: {exc}") from exc
        if response.is_success:
            return response.json()
        raise GatewayError(response.status_code, _detail(response))

    def whoami(self) -> str:
        return str(self.call("GET", "/v1/whoami")["name"])

    def agent(self, agent_id: str, action: str = "", body: dict[str, Any] | None = None) -> Any:
        """``GET /v1/agents/ID`` or ``POST /v1/agents/ID/ACTION`` with ``body``."""
        if not action:
            return self.call("GET", f"/v1/agents/{_path(agent_id)}")
        return self.call("POST", f"/v1/agents/{_path(agent_id)}/{action}", body or {})

    def contract(self, contract_id: str) -> Any:
        return self.call("GET", f"/v1/contracts/{_path(contract_id)}")

    def progress(self, agent_id: str, contract_id: str, body: dict[str, Any]) -> Any:
        return self.agent(agent_id, f"contracts/{_path(contract_id)}/progress", body)

    def settle(self, agent_id: str, message_id: int, verb: str, body: dict[str, Any]) -> Any:
        return self.agent(agent_id, f"messages/{int(message_id)}/{verb}", body)


def _detail(response: httpx.Response) -> str:
    try:
        document = response.json()
    except ValueError:
        return f"gateway answered {response.status_code}"
    if isinstance(document, dict) and document.get("detail"):
        return str(document["detail"])
    return f"gateway answered {response.status_code}"
