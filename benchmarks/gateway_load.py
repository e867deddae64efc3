"""The simulated agents of bench_gateway: each loops heartbeat, send, inbox fetch + ack and
progress against a gateway over loopback, timing every request."""

from __future__ import annotations

import asyncio
import random
import socket
import time
from dataclasses import dataclass, field

import httpx

# A request's header and body are separate writes: without this each waits out a delayed ACK.
NODELAY = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]


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


async def _timed(client: httpx.AsyncClient, tally: Tally, path: str, body: dict) -> dict | None:
    started = time.perf_counter()
    try:
        response = await client.post(path, json=body)
    except httpx.HTTPError:
        tally.errors += 1
        return None
    tally.latencies.append(time.perf_counter() - started)
    if response.status_code != 200:
        tally.errors += 1
        return None
    return response.json()


async def _round(client: httpx.AsyncClient, agent: Agent, tally: Tally) -> None:
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
    headers = {"Authorization": f"Bearer {agent.token}"}
    transport = httpx.AsyncHTTPTransport(socket_options=NODELAY)
    async with httpx.AsyncClient(
        base_url=url, headers=headers, timeout=30, transport=transport
    ) as client:
        claimed = await _timed(client, tally, f"/v1/agents/{agent.name}/contracts/claim", {})
        if claimed and claimed["contract"]:
            agent.contract, agent.fence = claimed["contract"]["id"], claimed["token"]
        while time.monotonic() < until:
            await _round(client, agent, tally)


async def _swarm(url: str, agents: list[Agent], seconds: float) -> Tally:
    tally, until = Tally(), time.monotonic() + seconds
    await asyncio.gather(*(_agent(url, agent, until, tally) for agent in agents))
    return tally


def run_worker(url: str, tokens: dict[str, str], seconds: float) -> Tally:
    """One load process: its share of the agents, concurrently, for ``seconds``."""
    peers = sorted(tokens)
    agents = [Agent(name, token, peers) for name, token in tokens.items()]
    return asyncio.run(_swarm(url, agents, seconds))
