"""What the real-Prefect tests share: bounded waiting and a clean environment."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
import pytest

from deployments.local_server import LocalServer

STAGES = ["assessment", "deployment", "validation", "operations"]
T = TypeVar("T")
RETRIES_503 = 10


def wait_for(probe: Callable[[], T | None], timeout_s: float, what: str) -> T:
    """Poll ``probe`` until it returns something truthy; fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(1.0)
    pytest.fail(f"timed out after {timeout_s:g} s waiting for {what}")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SWARMOPS_"))}
    return {**env, **extra}


def request(method: str, url: str, body: dict[str, Any] | None = None) -> httpx.Response:
    """One API call, retried on 503 (the server's SQLite was busy) as Prefect's client does."""
    for _ in range(RETRIES_503):
        response = httpx.request(method, url, json=body, timeout=30)
        if response.status_code != 503:
            break
        time.sleep(1.0)
    return response.raise_for_status()


def api(server: LocalServer, path: str, body: dict[str, Any] | None = None) -> Any:
    return request("POST", f"{server.api_url}{path}", body or {}).json()


def metrics_page(url: str) -> str | None:
    try:
        return httpx.get(url, timeout=5).text
    except httpx.HTTPError:
        return None


def pause(server: LocalServer, deployment_id: str) -> None:
    request("PATCH", f"{server.api_url}/deployments/{deployment_id}", {"paused": True})


def stage_events(server: LocalServer) -> set[str]:
    """Resource ids of the ``swarmops.stage.completed`` events the server has stored."""
    body = {"filter": {"event": {"name": ["swarmops.stage.completed"]}}, "limit": 50}
    return {
        e["resource"]["prefect.resource.id"] for e in api(server, "/events/filter", body)["events"]
    }
