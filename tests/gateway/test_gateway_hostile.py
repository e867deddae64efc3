"""Hostile bodies and identifiers at the gateway (issue 16, items 5-7), on both stores:
each is a 4xx problem document (REST) or an error result (MCP), never a 500, and no
message is stored."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from gateway_seed import LiveGateway
from mcp_client import mcp_session

from swarmops.gateway.problems import MEDIA_TYPE

SEND = "/v1/agents/a1/messages"
RAW_BODIES = [
    b'{"to": "a2", "body": NaN}',
    b'{"to": "a2", "body": [Infinity]}',
    b'{"to": "a2", "body": "\\ud800"}',
    b'{"to": "a2", "body": "\xff\xfe"}',
    b'{"to": "a2", "body": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    b'{"to": "a2", "body": ' + b"[" * 65 + b"]" * 65 + b"}",
    b'{"to": "a2", "body": 1, "ttl_s": 1e400}',
    b'{"to": "a2", "body": 1, "reply_to": 100000000000000000000}',
]
JSON_BODIES = [
    {"to": "a" * 129, "body": 1},
    {"to": " ", "body": 1},
    {"role": "a:b;c", "body": 1},
    {"to": "a2", "body": 1, "key": ""},
    {"to": "a2", "body": 1, "key": "k" * 129},
]


def assert_problem(response, *codes: int) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code in codes, (response.status_code, response.text)
    assert response.headers["content-type"].startswith(MEDIA_TYPE)
    assert response.json()["status"] == response.status_code


@pytest.fixture(scope="module")
def inbox_empty(shared_live: LiveGateway):  # type: ignore[no-untyped-def]
    """After the module's refusals, a2's inbox holds nothing."""
    yield
    with shared_live.client("a2") as client:
        assert client.post("/v1/agents/a2/inbox", json={}).json()["messages"] == []


@pytest.mark.parametrize("raw", RAW_BODIES, ids=range(len(RAW_BODIES)))
def test_a_body_that_is_not_strict_json_is_a_4xx_problem(
    shared_live: LiveGateway, inbox_empty: None, raw: bytes
) -> None:
    headers = {"content-type": "application/json"}
    with shared_live.client("a1") as client:
        assert_problem(client.post(SEND, content=raw, headers=headers), 400, 422)


@pytest.mark.parametrize("body", JSON_BODIES, ids=range(len(JSON_BODIES)))
def test_an_identifier_breaking_the_rule_is_a_422_problem(
    shared_live: LiveGateway, inbox_empty: None, body: dict[str, object]
) -> None:
    with shared_live.client("a1") as client:
        assert_problem(client.post(SEND, content=json.dumps(body)), 422)


@pytest.mark.parametrize(
    "path",
    [
        "/v1/agents/a%3Ab/heartbeat",
        "/v1/contracts/" + "c" * 129,
        "/v1/agents/a1/messages/100000000000000000000/ack",
    ],
)
def test_a_path_breaking_the_rule_is_a_422_problem(shared_live: LiveGateway, path: str) -> None:
    with shared_live.client("ops") as client:
        response = client.request("GET" if "contracts" in path else "POST", path, json={"token": 1})
    assert_problem(response, 422)


MCP_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("send_message", {"body": {"to": "a2", "body": json.loads("[" * 65 + "]" * 65)}}),
    ("send_message", {"body": {"to": "a:b", "body": 1}}),
    ("send_message", {"body": {"role": "a:b;c", "body": 1}}),
    ("send_message", {"body": {"to": "a2", "body": 1, "ttl_s": 1e300}}),
    ("ack_message", {"message_id": 10**20, "token": 1}),
    ("nack_message", {"message_id": 1, "token": 10**20}),
    ("release_contract", {"contract_id": "c 1", "token": 1}),
    ("report_progress", {"contract_id": "C-000", "body": {"percent": 1e300, "token": 1}}),
]


def test_an_mcp_tool_refuses_the_same_values_as_an_error_result(
    shared_live: LiveGateway, inbox_empty: None
) -> None:
    async def called() -> list[Any]:
        async with mcp_session(shared_live.url, shared_live.tokens["a1"]) as client:
            return [await client.call_tool(name, arguments) for name, arguments in MCP_CALLS]

    for (name, _arguments), result in zip(MCP_CALLS, asyncio.run(called()), strict=True):
        assert result.is_error, (name, result.content)
