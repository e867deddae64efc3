"""The MCP SDK's client lists the gateway's tools and calls each one against a live gateway."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from gateway_seed import ROOT, LiveGateway, issue
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp_client import mcp_session

from swarmops.gateway.mcp_tools import TOOL_NAMES
from swarmops.store import Store

LONG = "def grown():\n" + "".join(f"    x{n} = {n}\n" for n in range(40)) + "    return 0\n"


def test_the_client_lists_every_tool_with_a_description_and_schema(live: LiveGateway) -> None:
    async def listed() -> list[Any]:
        async with mcp_session(live.url, live.tokens["a1"]) as client:
            return (await client.list_tools()).tools

    tools = {tool.name: tool for tool in asyncio.run(listed())}
    assert set(tools) == set(TOOL_NAMES)
    for tool in tools.values():
        assert "Call" in (tool.description or ""), tool.name
        assert tool.input_schema["type"] == "object"


def test_the_client_calls_each_tool_as_its_agent(live: LiveGateway) -> None:
    results = asyncio.run(_workday(live))
    for name, result in results.items():
        assert not result.is_error, (name, result.content)
    assert set(results) == set(TOOL_NAMES)
    assert results["start_session"].structured_content["agent"]["id"] == "a1"
    claimed = results["claim_contract"].structured_content
    assert claimed["token"] == claimed["contract"]["fence_token"] >= 1
    assert results["submit_for_review"].structured_content["status"] == "REVIEW"
    assert results["release_contract"].structured_content["status"] == "OPEN"
    assert results["ack_message"].structured_content["status"] == "acked"
    assert results["nack_message"].structured_content["status"] == "pending"
    findings = results["check_compliance"].structured_content["findings"]
    assert [(f["rule"], f["symbol"]) for f in findings] == [("function-lines", "grown")]
    granted = results["reserve_paths"].structured_content
    assert granted["granted"] and granted["reservations"][0]["token"] >= 1
    (held,) = results["list_reservations"].structured_content["result"]
    assert (held["pattern"], held["agent_id"]) == ("src", "a1")  # src/** is the directory src
    assert results["check_paths"].structured_content == {"conflicts": []}  # its own: no conflict
    assert results["release_paths"].structured_content["count"] == 1
    assert results["stop_session"].structured_content == {"agent_id": "a1", "idle": True}


async def _workday(live: LiveGateway) -> dict[str, Any]:
    results: dict[str, Any] = {}
    async with mcp_session(live.url, live.tokens["a1"]) as client:

        async def call(name: str, **arguments: Any) -> dict[str, Any]:
            results[name] = await client.call_tool(name, arguments)
            return results[name].structured_content or {}

        await call("start_session")
        await call("heartbeat")
        claimed = await call("claim_contract")
        cid, token = claimed["contract"]["id"], claimed["token"]
        await call("transition", body={"to_state": "CONTRACT_ACTIVE", "key": "k1"})
        await call("report_progress", contract_id=cid, body={"percent": 60, "token": token})
        await call("submit_for_review", contract_id=cid, token=token)
        await call("release_contract", contract_id=cid, token=token)
        await call("send_message", body={"to": "a1", "body": {"n": 1}})
        await call("send_message", body={"to": "a1", "body": {"n": 2}})
        inbox = (await call("fetch_inbox", body={"max_messages": 2}))["messages"]
        await call("ack_message", message_id=inbox[0]["id"], token=inbox[0]["lease_token"])
        await call("nack_message", message_id=inbox[1]["id"], token=inbox[1]["lease_token"])
        await call("check_compliance", path="pkg/grown.py", content=LONG)
        await call("reserve_paths", body={"repository": "r", "patterns": ["src/**"]})
        await call("list_reservations")
        await call("check_paths", repository="r", paths=["src/a.py"])
        await call("release_paths")
        await call("stop_session")
    return results


@pytest.mark.slow
def test_swarmops_mcp_serves_the_same_tools_over_stdio(
    swarm_store: Store, store_url: str, tmp_path: Path
) -> None:
    token = issue(swarm_store, "a2")
    env = {**os.environ, "SWARMOPS_STORE_URL": store_url, "SWARMOPS_TOKEN": token}
    server = StdioServerParameters(
        command=sys.executable, args=["-m", "swarmops", "mcp"], env=env, cwd=str(ROOT)
    )

    async def session() -> tuple[set[str], Any, Any]:
        async with Client(server) as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            started = await client.call_tool("start_session", {})
            checked = await client.call_tool("check_compliance", {"path": "m.py", "content": LONG})
            return names, started, checked

    names, started, checked = asyncio.run(session())
    assert names == set(TOOL_NAMES)
    assert started.structured_content["agent"]["id"] == "a2"
    assert checked.structured_content["findings"][0]["rule"] == "function-lines"
