"""Every call the demo swarm makes into swarmops, in one place.

The demo agents act only through :class:`Actions`, each method the domain service a
real agent reaches through the CLI or the gateway, each write in a unit of work of its
own (``in_unit``), as the CLI runs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from swarmops import contracts, coordination, fsm
from swarmops.contracts.models import Contract
from swarmops.coordination import Message, SendRequest
from swarmops.demo.figures import DemoFigures
from swarmops.errors import BadInput, Conflict
from swarmops.fsm import Agent, Machine
from swarmops.pipeline.probing import store_state
from swarmops.settings import CoordinationSettings
from swarmops.store import Store, in_unit
from swarmops.store.schema import stage_runs

HELD = ("ASSIGNED", "IN_PROGRESS")
URGENCY = {"critical": 0, "high": 1, "medium": 2, "low": 3}
# Seven parameters where the V2 rules allow five: a minor finding, so the validation
# gate (major and worse) lets it through and the scheduled scan records it as new.
REGRESSION = (
    "def summarise(agents, contracts, messages, alerts, since, until, fmt):\n"
    "    return (agents, contracts, messages, alerts, since, until, fmt)\n"
)


class Actions:
    """The swarm's door into swarmops: one store, the agent machine, the bus policy."""

    def __init__(self, store: Store, machine: Machine, policy: CoordinationSettings) -> None:
        self.store, self.machine, self.policy = store, machine, policy

    # agents: registration is the deployment stage's; the rest is each agent's own
    def agents(self) -> list[Agent]:
        """The registered agents; none before the deployment stage created the store."""
        return fsm.list_agents(self.store) if store_state(self.store) == "ready" else []

    def onboard(self, agent_id: str) -> None:
        """The agent announces it is ready: ONBOARDING -> IDLE, as itself."""
        in_unit(
            self.store,
            fsm.transition,
            self.machine,
            agent_id,
            "IDLE",
            actor=agent_id,
            reason="onboarded",
        )

    def heartbeat(self, agent_id: str) -> None:
        in_unit(self.store, fsm.heartbeat, self.machine, agent_id)

    def move(self, agent_id: str, to_state: str, reason: str) -> bool:
        """The agent moves itself; False when the machine or a guard refuses right now."""
        try:
            in_unit(
                self.store,
                fsm.transition,
                self.machine,
                agent_id,
                to_state,
                actor=agent_id,
                reason=reason,
            )
        except (BadInput, Conflict):
            return False
        return True

    # work
    def held_contracts(self, agent_id: str) -> list[Contract]:
        """The contracts this agent owns and has not finished."""
        owned = contracts.list_contracts(self.store)
        return [c for c in owned if c.owner == agent_id and c.status in HELD]

    def most_urgent_owner(self) -> str | None:
        """The owner of the highest-priority contract in progress (None: none yet)."""
        started = [c for c in contracts.list_contracts(self.store) if c.status == "IN_PROGRESS"]
        started.sort(key=lambda c: (URGENCY.get(c.priority, len(URGENCY)), c.id))
        return started[0].owner if started else None

    def open_contracts(self) -> int:
        return sum(1 for c in contracts.list_contracts(self.store) if c.status == "OPEN")

    def percent_done(self) -> dict[str, float]:
        return contracts.percent_by_contract(self.store)

    def report_progress(self, contract: Contract, agent_id: str, percent: float) -> bool:
        """A fenced report; False when refused (a failover made the token stale)."""
        try:
            in_unit(
                self.store,
                contracts.record_progress,
                contract.id,
                agent_id,
                percent=percent,
                token=contract.fence_token,
            )
        except (BadInput, Conflict):
            return False
        return True

    def assign(self) -> int:
        """The coordinator balances open work across agents; returns how many it assigned."""
        return in_unit(self.store, coordination.assign, self.machine, self.policy).assigned

    # messages
    def receive(self, agent_id: str) -> list[Message]:
        lease = self.policy.lease_s
        return in_unit(self.store, coordination.recv, agent_id, max_messages=10, lease_s=lease)

    def ack(self, message: Message) -> None:
        try:
            in_unit(self.store, coordination.ack, message.id, message.lease_token)
        except Conflict:  # the lease went to someone else meanwhile: theirs to settle
            return

    def send(self, request: dict[str, Any]) -> None:
        in_unit(self.store, coordination.send, SendRequest(**request), self.policy)

    # what every agent can see, and the one commit that breaks the rules
    def stages_done(self) -> set[str]:
        """The stages whose runs completed, as recorded in the store."""
        if store_state(self.store) != "ready":  # before the deployment stage: no tables yet
            return set()
        query = sa.select(stage_runs.c.stage).where(stage_runs.c.result == "completed")
        with self.store.unit(read_only=True) as unit:
            return set(unit.scalars(query))

    def figures(self) -> DemoFigures:
        """The demo's figures, read from the store in one transaction."""
        with self.store.unit(read_only=True) as unit:
            return DemoFigures.read(unit)

    @staticmethod
    def commit_regression(root: Path) -> Path:
        """An agent commits a function with too many parameters into the scanned repository."""
        path = root / "swarm_report.py"
        path.write_text(f'"""Written by a demo agent."""\n\n\n{REGRESSION}', encoding="utf-8")
        return path
