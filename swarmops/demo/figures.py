"""What the demo shows afterwards, read from the store alone: each figure is a query
over the tables the stages and the agents wrote, never a counter the demo kept."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.store import Unit
from swarmops.store.schema import (
    agent_events,
    agents,
    alerts,
    assignments,
    compliance_runs,
    contracts,
    findings,
    messages,
    progress_events,
)


def _count(table: sa.Table, *where: sa.ColumnElement[bool]) -> sa.Select[Any]:
    return sa.select(sa.func.count()).select_from(table).where(*where)


QUERIES: dict[str, sa.Select[Any]] = {
    "agents_onboarded": _count(
        agent_events, agent_events.c.from_state == "ONBOARDING", agent_events.c.to_state == "IDLE"
    ),
    "agents_heartbeated": _count(agents, agents.c.heartbeat_at.is_not(None)),
    "claims": _count(agent_events, agent_events.c.to_state == "CONTRACT_ACTIVE"),
    "assignments": _count(assignments),
    "progress_reports": _count(progress_events),
    "contracts_in_review": _count(contracts, contracts.c.status.in_(("REVIEW", "DONE"))),
    "messages_sent": _count(messages),
    "messages_acked": _count(messages, messages.c.status == "acked"),
    "failovers": _count(
        agent_events, agent_events.c.to_state == "OFFLINE", agent_events.c.actor == "system"
    ),
    "handoffs": _count(assignments, assignments.c.reason == "failover"),
    "regressions_found": _count(
        findings,
        findings.c.is_new.is_(True),
        findings.c.run_id.in_(
            sa.select(compliance_runs.c.id).where(compliance_runs.c.kind == "scan")
        ),
    ),
    "alerts_raised": _count(alerts),
}


class DemoFigures(BaseModel):
    """The swarm's activity as the store holds it."""

    model_config = ConfigDict(frozen=True)

    agents_onboarded: int
    agents_heartbeated: int
    claims: int
    assignments: int
    progress_reports: int
    contracts_in_review: int
    messages_sent: int
    messages_acked: int
    failovers: int
    handoffs: int
    regressions_found: int
    alerts_raised: int

    @classmethod
    def read(cls, unit: Unit) -> DemoFigures:
        return cls(**{name: int(unit.scalar(query) or 0) for name, query in QUERIES.items()})

    def lines(self) -> list[str]:
        return [
            f"agents: {self.agents_onboarded} onboarded, {self.agents_heartbeated} heartbeated, "
            f"{self.claims} claim(s) of work",
            f"work: {self.assignments} assignment(s) ({self.handoffs} after a failover), "
            f"{self.progress_reports} progress report(s), {self.contracts_in_review} contract(s) "
            "in review or done",
            f"messages: {self.messages_sent} sent, {self.messages_acked} acknowledged",
            f"failover: {self.failovers} agent(s) taken offline by the sweep",
            f"compliance: {self.regressions_found} new finding(s) caught by the scheduled scan; "
            f"{self.alerts_raised} alert(s) raised in all",
        ]
