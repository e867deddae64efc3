"""The simulated agents of bench_gateway: each loops heartbeat, send, inbox fetch + ack and
progress against a gateway over loopback, timing every request.

Each agent keeps one HTTP/1.1 connection open and speaks it with a few lines of asyncio
(``Connection``), as wrk or hey would: the load generator shares the machine's cores
with the gateway it measures, and httpx spends several times the CPU per request.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Tally:
    """What one worker process saw: every request's latency and the failed ones."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def merge(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.errors += other.errors


@dataclass
class Agent:
    name: str
    token: str
    peers: list[str]
    contract: str | None = None
    fence: int | None = None
    percent: float = 0.0


class Connection:
    """One keep-alive HTTP/1.1 connection posting JSON with a bearer token."""

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.head = f"Host: {parts.netloc}\r\nAuthorization: Bearer {token}\r\n"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            sock = self.writer.get_extra_info("socket")
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        data = json.dumps(body).encode()
        self.writer.write(
            f"POST {path} HTTP/1.1\r\n{self.head}Content-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n".encode()
            + data
        )
        return await self._response()

    async def _response(self) -> tuple[int, Any]:
        assert self.reader is not None
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        length = next(
            int(line.split(":", 1)[1])
            for line in head
            if line.lower().startswith("content-length:")
        )
        return status, json.loads(await self.reader.readexactly(length))

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def _timed(client: Connection, tally: Tally, path: str, body: dict) -> dict | None:
    started = time.perf_counter()
    try:
        status, answer = await client.post(path, body)
    except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration):
        tally.errors += 1
        client.writer = None  # the connection is in an unknown state: open a new one
        return None
    tally.latencies.append(time.perf_counter() - started)
    if status != 200:
        tally.errors += 1
        return None
    return answer


async def _round(client: Connection, agent: Agent, tally: Tally) -> None:
    """One round of the mix: heartbeat, send, fetch and ack what came, progress."""
    base = f"/v1/agents/{agent.name}"
    await _timed(client, tally, f"{base}/heartbeat", {})
    note = {"to": random.choice(agent.peers), "body": {"from": agent.name}}
    await _timed(client, tally, f"{base}/messages", note)
    inbox = await _timed(client, tally, f"{base}/inbox", {"max_messages": 5, "lease_s": 300})
    for message in (inbox or {}).get("messages", []):
        await _timed(
            client, tally, f"{base}/messages/{message['id']}/ack", {"token": message["lease_token"]}
        )
    if agent.contract is not None:
        agent.percent = min(99.0, agent.percent + 0.01)
        report = {"percent": round(agent.percent, 2), "token": agent.fence}
        await _timed(client, tally, f"{base}/contracts/{agent.contract}/progress", report)


async def _agent(url: str, agent: Agent, until: float, tally: Tally) -> None:
    client = Connection(url, agent.token)
    try:
        claimed = await _timed(client, tally, f"/v1/agents/{agent.name}/contracts/claim", {})
        if claimed and claimed["contract"]:
            agent.contract, agent.fence = claimed["contract"]["id"], claimed["token"]
        while time.monotonic() < until:
            await _round(client, agent, tally)
    finally:
        await client.close()


async def _swarm(url: str, agents: list[Agent], seconds: float) -> Tally:
    tally, until = Tally(), time.monotonic() + seconds
    await asyncio.gather(*(_agent(url, agent, until, tally) for agent in agents))
    return tally


def run_worker(url: str, tokens: dict[str, str], seconds: float) -> Tally:
    """One load process: its share of the agents, concurrently, for ``seconds``."""
    peers = sorted(tokens)
    agents = [Agent(name, token, peers) for name, token in tokens.items()]
    return asyncio.run(_swarm(url, agents, seconds))
