"""The auth matrix: every REST route and MCP tool against no token, another agent's token,
a revoked one, an expired one and an operator's, answering 401/403 as the issue specifies."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from gateway_seed import LiveGateway
from mcp_client import mcp_session

from swarmops.gateway.mcp_tools import TOOL_NAMES

SELF, SELF_OR_OPERATOR, ANYONE, OPERATOR = "self", "self-or-operator", "anyone", "operator"
A = "/v1/agents/a1"
C = "/v1/agents/a3"
ROUTES: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("GET", A, SELF_OR_OPERATOR, None),
    ("POST", f"{A}/session", SELF, None),
    ("POST", f"{A}/heartbeat", SELF, None),
    ("POST", f"{A}/transition", SELF_OR_OPERATOR, {"to_state": "PAUSED"}),
    ("POST", f"{A}/contracts/claim", SELF, None),
    ("POST", f"{A}/contracts/C-000/release", SELF, {"token": 1}),
    ("POST", f"{A}/contracts/C-000/progress", SELF, {"percent": 1, "token": 1}),
    ("POST", f"{A}/contracts/C-000/submit", SELF, {"token": 1}),
    ("POST", f"{A}/messages", SELF, {"to": "a2", "body": 1}),
    ("POST", f"{A}/inbox", SELF, {}),
    ("POST", f"{A}/messages/1/ack", SELF, {"token": 1}),
    ("POST", f"{A}/messages/1/nack", SELF, {"token": 1}),
    ("POST", f"{A}/reservations", SELF, {"repository": "r", "patterns": ["src/**"]}),
    ("POST", f"{A}/reservations/release", SELF, {}),
    ("GET", f"{A}/reservations", SELF_OR_OPERATOR, None),
    ("POST", f"{A}/reservations/check", SELF, {"repository": "r", "paths": ["a.py"]}),
    ("POST", f"{A}/session/stop", SELF, None),
    ("GET", "/v1/whoami", ANYONE, None),
    ("GET", "/v1/contracts/C-000", ANYONE, None),
    ("POST", "/v1/compliance/check", ANYONE, {"path": "a.py", "content": "x = 1\n"}),
    ("POST", "/v1/agents", OPERATOR, {"id": "a9", "role": "dev"}),
    ("POST", "/v1/assign", OPERATOR, None),
    ("POST", "/v1/failover", OPERATOR, None),
    ("POST", "/v1/contracts/C-001/status", OPERATOR, {"to_status": "CANCELLED"}),
]
DENIED = {
    "a2": {SELF: 403, SELF_OR_OPERATOR: 403, ANYONE: None, OPERATOR: 403},
    "ops": {SELF: 403, SELF_OR_OPERATOR: None, ANYONE: None, OPERATOR: None},
}


def _call(live: LiveGateway, who: str | None, route: tuple[str, str, str, Any]) -> httpx.Response:
    method, path, _, body = route
    with live.client(who) as client:
        return client.request(method, path, json=body)


def test_the_table_covers_every_route_of_the_schema(shared_live: LiveGateway) -> None:
    schema = httpx.get(f"{shared_live.url}/openapi.json").json()
    documented = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    documented -= {("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics")}
    templated = {(m, p.replace("a1", "{agent_id}")) for m, p, _, _ in ROUTES}
    templated = {(m, _template(p)) for m, p in templated}
    assert templated == documented


def _template(path: str) -> str:
    for concrete, name in (
        ("C-000", "{contract_id}"),
        ("C-001", "{contract_id}"),
        ("/1/", "/{message_id}/"),
    ):
        path = path.replace(concrete, name)
    return path


@pytest.mark.parametrize("who", [None, "revoked", "expired", "bogus"])
def test_no_valid_token_is_401_with_a_challenge_on_every_route(
    shared_live: LiveGateway, who: str
) -> None:
    shared_live.tokens["bogus"] = "swo_000000000000_not-a-token"
    for route in ROUTES:
        response = _call(shared_live, who, route)
        assert response.status_code == 401, (route, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.headers["content-type"] == "application/problem+json"
        assert shared_live.tokens.get(who or "", "never") not in response.text


@pytest.mark.parametrize("who", ["a2", "ops"])
def test_acting_as_someone_else_is_403_and_allowed_work_is_not(
    shared_live: LiveGateway, who: str
) -> None:
    for route in ROUTES:
        response = _call(shared_live, who, route)
        expected = DENIED[who][route[2]]
        if expected is None:
            assert response.status_code not in (401, 403), (route, response.text)
        else:
            assert response.status_code == expected, (route, response.text)
            assert response.json()["type"] == "urn:swarmops:problem:forbidden"


def test_the_agent_itself_is_let_through_on_its_own_routes(shared_live: LiveGateway) -> None:
    for route in ROUTES:
        if route[2] != OPERATOR:
            assert _call(shared_live, "a1", route).status_code not in (401, 403), route


@pytest.mark.parametrize("who", [None, "revoked", "expired"])
def test_every_mcp_tool_call_without_a_valid_token_is_401(
    shared_live: LiveGateway, who: str
) -> None:
    headers = {"Accept": "application/json, text/event-stream"}
    if who:
        headers["Authorization"] = f"Bearer {shared_live.tokens[who]}"
    for tool in TOOL_NAMES:
        call = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "tools/call",
            "params": {"name": tool, "arguments": {}},
        }
        response = httpx.post(f"{shared_live.url}/mcp", json=call, headers=headers)
        assert response.status_code == 401, (tool, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_an_operator_token_is_refused_by_every_agent_tool(shared_live: LiveGateway) -> None:
    arguments = {
        "transition": {"body": {"to_state": "PAUSED"}},
        "release_contract": {"contract_id": "C-000", "token": 1},
        "report_progress": {"contract_id": "C-000", "body": {"percent": 1}},
        "submit_for_review": {"contract_id": "C-000", "token": 1},
        "send_message": {"body": {"to": "a1", "body": 1}},
        "fetch_inbox": {"body": {}},
        "ack_message": {"message_id": 1, "token": 1},
        "nack_message": {"message_id": 1, "token": 1},
        "reserve_paths": {"body": {"repository": "r", "patterns": ["a.py"]}},
        "check_paths": {"repository": "r", "paths": ["a.py"]},
        "check_compliance": {"path": "a.py", "content": "x = 1\n"},
    }
    results = asyncio.run(_call_all(shared_live, "ops", arguments))
    for tool, result in results.items():
        if tool == "check_compliance":
            assert not result.is_error, result.content
        else:
            assert result.is_error and "403 Forbidden" in result.content[0].text, tool


def test_another_agents_token_cannot_touch_its_messages_or_contracts(
    shared_live: LiveGateway,
) -> None:
    with shared_live.client("a3") as a3:
        held = a3.post(f"{C}/session").json()["contracts"]  # the operator's assign may have
        claimed = a3.post(f"{C}/contracts/claim").json()  # given it work: take what it holds
        if held:
            claimed = {"contract": held[0], "token": held[0]["fence_token"]}
        a3.post(f"{C}/messages", json={"to": "a3", "body": 1})
        message = a3.post(f"{C}/inbox", json={}).json()["messages"][0]
    cid, token = claimed["contract"]["id"], claimed["token"]
    arguments = {
        "release_contract": {"contract_id": cid, "token": token},
        "submit_for_review": {"contract_id": cid, "token": token},
        "report_progress": {"contract_id": cid, "body": {"percent": 5, "token": token}},
        "ack_message": {"message_id": message["id"], "token": message["lease_token"]},
        "nack_message": {"message_id": message["id"], "token": message["lease_token"]},
    }
    results = asyncio.run(_call_all(shared_live, "a2", arguments))
    assert all(result.is_error for result in results.values()), results
    with shared_live.client("a3") as a3:
        assert a3.get(f"/v1/contracts/{cid}").json()["owner"] == "a3"
        acked = a3.post(f"{C}/messages/{message['id']}/ack", json={"token": message["lease_token"]})
        assert acked.json()["status"] == "acked"


async def _call_all(live: LiveGateway, who: str, arguments: dict[str, Any]) -> dict[str, Any]:
    async with mcp_session(live.url, live.tokens[who]) as client:
        names = [name for name in TOOL_NAMES if name in arguments or who == "ops"]
        return {name: await client.call_tool(name, arguments.get(name, {})) for name in names}
