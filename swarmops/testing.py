"""Fakes for tests and benchmarks, shipped with the package so users' tests can use them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

DEFAULT_EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class FrozenClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime = DEFAULT_EPOCH) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        """Move forward by ``seconds`` (and/or timedelta keywords); returns the new time."""
        self._now += timedelta(seconds=seconds, **delta)
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment


def seed_agent(store: Any, agent_id: str, role: str, **fields: Any) -> None:
    """Insert an agent projection row directly (state IDLE unless given), for bus tests and
    benchmarks that need recipients without running the agent state machine."""
    import sqlalchemy as sa

    from swarmops.store.schema import agents

    now = store.now()
    row = {"state": "IDLE", "version": 1, "capacity": 1, "skills": [], "heartbeat_at": now}
    row.update(fields)
    with store.unit() as unit:
        unit.execute(
            sa.insert(agents).values(id=agent_id, role=role, created_at=now, updated_at=now, **row)
        )


def seed_owners(store: Any, specs: Any, role: str = "dev") -> None:
    """Seed each owner the contract ``specs`` name and the store lacks: an apply refuses
    an owner that is not a registered agent."""
    import sqlalchemy as sa

    from swarmops.store.schema import agents

    owners = {spec.owner for spec in specs if spec.owner is not None}
    with store.unit(read_only=True) as unit:
        known = set(unit.scalars(sa.select(agents.c.id)))
    for owner in sorted(owners - known):
        seed_agent(store, owner, role)


class FakeProbeIO:
    """A fake network and disk for health probes (HttpClient, TcpConnector, DiskGauge).

    ``answer`` declares an HTTP reply by URL (``delay_s`` makes it slow); an unknown
    URL or a port not in ``open_ports`` is refused like a closed port; ``disks``
    maps a path to (free, total) bytes.
    """

    def __init__(self) -> None:
        self.replies: dict[str, tuple[int, str, float]] = {}
        self.open_ports: set[tuple[str, int]] = set()
        self.disks: dict[Any, tuple[int, int]] = {}
        self.requests: list[tuple[str, str]] = []

    def answer(self, url: str, status: int = 200, body: str = "", delay_s: float = 0.0) -> None:
        self.replies[url] = (status, body, delay_s)

    async def request(self, method: str, url: str, timeout_s: float) -> Any:
        import asyncio

        from swarmops.health.ports import HttpReply

        self.requests.append((method, url))
        if url not in self.replies:
            raise ConnectionRefusedError(f"connection refused: {url}")
        status, body, delay_s = self.replies[url]
        await asyncio.sleep(delay_s)
        return HttpReply(status=status, text=body)

    async def connect(self, host: str, port: int, timeout_s: float) -> None:
        if (host, port) not in self.open_ports:
            raise ConnectionRefusedError(f"connection refused: {host}:{port}")

    def usage(self, path: Any) -> tuple[int, int]:
        if path not in self.disks:
            raise FileNotFoundError(f"no such path: {path}")
        return self.disks[path]


def recording_push_handler(calls: list[dict[str, Any]]) -> Any:
    """A prometheus_client push handler that records each push instead of sending it."""

    def handler(url: str, method: str, timeout: Any, headers: Any, data: bytes) -> Any:
        def send() -> None:
            calls.append({"url": url, "method": method, "headers": headers, "data": data})

        return send

    return handler


def seed_contract(
    store: Any, contract_id: str, owner: str | None, status: str = "ASSIGNED", **fields: Any
) -> None:
    """Insert a contract row directly (no tasks, no events), for tests of what reads contracts,
    such as the agent lifecycle's ``has_assigned_contract`` guard."""
    import sqlalchemy as sa

    from swarmops.store.schema import contracts

    now = store.now()
    row: dict[str, Any] = {"title": contract_id, "priority": "medium", "required_skills": []}
    row["tags"] = []
    row.update({"version": 1, "spec_hash": "seed", "created_at": now, "updated_at": now})
    row.update(fields)
    with store.unit() as unit:
        unit.execute(sa.insert(contracts).values(id=contract_id, owner=owner, status=status, **row))


def agent_in_state(store: Any, machine: Any, agent_id: str, state: str) -> Any:
    """Register ``agent_id`` (with an assigned contract, so guards hold) and move it to
    ``state`` along the shortest path of ``machine``, acting as the system."""
    from swarmops.fsm import AgentSpec, get_agent, register, transition

    paths = {machine.initial: [machine.initial]}
    frontier = [machine.initial]
    for current in frontier:  # breadth first: the loop visits what it appends
        for target in machine.targets(current):
            if target not in paths:
                paths[target] = [*paths[current], target]
                frontier.append(target)
    with store.unit() as unit:
        register(unit, machine, AgentSpec(id=agent_id, role="dev", capacity=1))
    seed_contract(store, f"c-{agent_id}", agent_id)
    with store.unit() as unit:
        for target in paths[state][1:]:
            transition(unit, machine, agent_id, target, actor="system")
    return get_agent(store, agent_id)


class RecordingPublisher:
    """An outbox publisher that keeps what it was given; ``fail`` makes it refuse instead."""

    def __init__(self, *, fail: str | None = None) -> None:
        self.events: list[Any] = []
        self.fail = fail

    def publish(self, event: Any) -> None:
        from swarmops.errors import PublishError

        if self.fail is not None:
            raise PublishError(self.fail)
        self.events.append(event)
