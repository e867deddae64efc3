"""A small swarm for the gateway's tests and benchmark: agents, contracts, tokens, a server."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from swarmops.contracts import ContractSpec, apply_contracts
from swarmops.fsm import AgentSpec, load_agent_machine, register, transition
from swarmops.gateway.server import Bind, Running, start_beside
from swarmops.settings import ComplianceSettings, Settings
from swarmops.store import Store, in_unit
from swarmops.store.schema import tokens
from swarmops.tokens import issue_token, revoke_token

CONFIG = Path(__file__).resolve().parents[2] / "config"


def settings_for(url: str, tmp: Path) -> Settings:
    compliance = ComplianceSettings(rules=CONFIG / "v2_rules.yaml", baseline=tmp / "none.json")
    return Settings(store_url=url, fsm=CONFIG / "fsm.yaml", compliance=compliance)


def seed_agents(store: Store, ids: list[str], skills: tuple[str, ...] = ("python",)) -> None:
    machine = load_agent_machine(CONFIG / "fsm.yaml")
    for agent_id in ids:
        spec = AgentSpec(id=agent_id, role="dev", capacity=2, skills=skills)
        in_unit(store, register, machine, spec)
        in_unit(store, transition, machine, agent_id, "IDLE", actor=agent_id)


def seed_contracts(store: Store, count: int, skills: tuple[str, ...] = ("python",)) -> list[str]:
    specs = [
        ContractSpec(
            id=f"C-{n:03d}",
            title=f"work {n}",
            required_skills=skills,
            tasks=({"id": "t1", "title": "do it"},),
        )  # type: ignore[arg-type]
        for n in range(count)
    ]
    with store.unit() as unit:
        apply_contracts(unit, specs)
    return [spec.id for spec in specs]


def issue(store: Store, name: str, role: str = "agent") -> str:
    return in_unit(store, issue_token, name, role).token


def revoked(store: Store, name: str) -> str:
    issued = in_unit(store, issue_token, name, "agent")
    in_unit(store, revoke_token, issued.info.id)
    return issued.token


def expired(store: Store, name: str) -> str:
    issued = in_unit(store, issue_token, name, "agent", expires_at=store.now() + timedelta(days=1))
    past = store.now() - timedelta(seconds=1)
    with store.unit() as unit:
        unit.execute(tokens.update().where(tokens.c.id == issued.info.id).values(expires_at=past))
    return issued.token


@dataclass
class LiveGateway:
    """A gateway serving on 127.0.0.1 (an ephemeral port) on a thread of this process."""

    url: str
    running: Running
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, who: str | None, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)

    def stop(self) -> None:
        self.running.stop()


def start_gateway(settings: Settings) -> LiveGateway:
    """The gateway on a thread of the test process, as ``swarmops serve --gateway`` runs it."""
    running = start_beside(settings, Bind("127.0.0.1", 0))
    return LiveGateway(url=f"http://127.0.0.1:{running.bind.port}", running=running)


def wait_ready(url: str, attempts: int = 300) -> None:
    for _ in range(attempts):
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"gateway at {url} never became ready")


def count(store: Store, table: sa.Table) -> int:
    with store.unit(read_only=True) as unit:
        return int(unit.scalar(sa.select(sa.func.count()).select_from(table)))


ROOT = CONFIG.parent


@dataclass
class GatewayProcess:
    """``swarmops gateway --port 0`` in a process of its own."""

    process: Any
    url: str

    def kill(self) -> None:
        import signal

        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process.stderr.close()


def spawn_gateway(url: str, workers: int = 1) -> GatewayProcess:
    import os
    import subprocess
    import sys

    env = {**os.environ, "SWARMOPS_STORE_URL": url}
    env.pop("SWARMOPS_API_URL", None)
    command = [
        sys.executable,
        "-m",
        "swarmops",
        "gateway",
        "--port",
        "0",
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()  # "swarmops gateway listening on http://127.0.0.1:PORT"
    if "listening on" not in line:
        process.kill()
        raise RuntimeError(f"gateway did not start: {line}{process.stderr.read()}")
    gateway = GatewayProcess(process, line.rsplit(" ", 1)[-1].strip())
    wait_ready(gateway.url)
    return gateway
