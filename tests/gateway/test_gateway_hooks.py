"""The agent hooks against a live gateway (SWARMOPS_API_URL and SWARMOPS_TOKEN): a path
another agent reserved through the gateway is denied, the holder's own edit passes, the
session is started, renewed and stopped, and a token the gateway refuses fails open."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from gateway_seed import LiveGateway
from hook_payloads import REPO, denied, hook

from swarmops.store import Store
from swarmops.store.schema import agent_sessions


@pytest.fixture
def reserved(live: LiveGateway, repo: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """a1 holds src/app/** of the hooks' repository (after the repo fixture clears the env)."""
    with live.client("a1") as a1:
        answer = a1.post(
            "/v1/agents/a1/reservations", json={"repository": REPO, "patterns": ["src/app/**"]}
        )
    assert answer.status_code == 200, answer.text
    monkeypatch.setenv("SWARMOPS_API_URL", live.url)
    return answer.json()["reservations"][0]


def _as(monkeypatch: pytest.MonkeyPatch, live: LiveGateway, agent: str, token: str) -> None:
    monkeypatch.setenv("SWARMOPS_AGENT", agent)
    monkeypatch.setenv("SWARMOPS_TOKEN", live.tokens[token])


def test_another_agents_edit_of_a_reserved_path_is_denied(
    live: LiveGateway, reserved: dict, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as(monkeypatch, live, "a2", "a2")
    until = reserved["expires_at"].replace("Z", "+00:00")[:19]
    code, answer = hook("pre-tool-use", "pre_tool_use_edit_reserved.json", repo)
    reason = answer["hookSpecificOutput"]["permissionDecisionReason"]
    assert (code, answer) == (0, denied(reason))
    assert reason.startswith("swarmops: src/app/main.py is reserved by a1 (src/app, exclusive)")
    assert until in reason


def test_the_holder_and_a_clean_edit_pass(
    live: LiveGateway, reserved: dict, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as(monkeypatch, live, "a1", "a1")
    assert hook("pre-tool-use", "pre_tool_use_edit_reserved.json", repo) == (0, {})
    _as(monkeypatch, live, "a2", "a2")
    assert hook("pre-tool-use", "pre_tool_use_edit_clean.json", repo) == (0, {})


def test_a_session_starts_renews_and_stops_through_the_gateway(
    live: LiveGateway,
    reserved: dict,
    repo: Path,
    swarm_store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _as(monkeypatch, live, "a1", "a1")
    code, answer = hook("session-start", "session_start.json", repo)
    context = answer["hookSpecificOutput"]["additionalContext"]
    assert code == 0 and context.startswith(
        f"swarmops: you are agent a1 (IDLE); your reservations: {REPO}:src/app"
    )
    assert hook("stop", "stop.json", repo) == (0, {})
    assert _stopped(swarm_store) is not None
    assert hook("post-tool-use", "post_tool_use_edit.json", repo) == (0, {})
    assert _stopped(swarm_store) is None


def _stopped(store: Store) -> object:
    with store.unit(read_only=True) as unit:
        query = sa.select(agent_sessions.c.stopped_at).where(agent_sessions.c.agent_id == "a1")
        return unit.scalar(query)


@pytest.mark.parametrize("token", ["revoked", "expired", "a1"])
def test_a_token_the_gateway_refuses_fails_open_with_a_warning(
    live: LiveGateway, reserved: dict, repo: Path, monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    """Revoked, expired, or another agent's token (a2's hook holding a1's): never a block."""
    _as(monkeypatch, live, "a2", token)
    code, answer = hook("pre-tool-use", "pre_tool_use_edit_reserved.json", repo)
    assert code == 0 and set(answer) == {"systemMessage"}, answer
    assert "failing open" in answer["systemMessage"]
    assert live.tokens[token] not in answer["systemMessage"]
