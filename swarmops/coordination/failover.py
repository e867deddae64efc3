"""``swarmops failover``: move the work of agents that stopped heartbeating.

One sweep, one transaction: every agent (not OFFLINE or SHUTDOWN) whose last
heartbeat — or registration, if it never beat — is older than the timeout goes
OFFLINE (actor ``system``, the silence in the reason); its leased messages become
visible again; its unfinished contracts go back to OPEN with a new fencing token, so
the old owner's token is stale at once; then assignment gives them to capable
agents with a handoff message. An ``agent.offline`` alert is raised once per
agent and resolved by the first sweep after the agent is back; messages past their
TTL (or out of attempts) are moved to the dead letters. A second sweep finds nothing
to do.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from swarmops.contracts import change_status
from swarmops.coordination.assign import HELD, SYSTEM, assign_in, fence_in, serialise_in
from swarmops.coordination.claim import reap_in
from swarmops.coordination.reports import FailoverReport, OfflineAgent
from swarmops.coordination.settle import release_in
from swarmops.fsm import Machine, transition_in
from swarmops.settings import CoordinationSettings
from swarmops.store import Store
from swarmops.store.schema import agents, alerts, contracts

OFFLINE = "OFFLINE"
GONE = (OFFLINE, "SHUTDOWN")
ALERT_KIND, ALERT_RESOURCE, ALERT_SEVERITY = "agent.offline", "agent", "warning"


class _Rehearsal(Exception):
    """Carries a dry run's report out of the transaction it rolls back."""

    def __init__(self, report: FailoverReport) -> None:
        super().__init__("dry run")
        self.report = report


def failover(
    store: Store, machine: Machine, policy: CoordinationSettings, *, dry_run: bool = False
) -> FailoverReport:
    """Sweep once; ``dry_run`` does the same work and rolls it all back."""
    try:
        with store.write() as conn:
            report = failover_in(conn, machine, policy, now=store.now())
            if dry_run:
                raise _Rehearsal(report)
    except _Rehearsal as rehearsal:
        planned = rehearsal.report.reassignment.model_copy(update={"dry_run": True})
        return rehearsal.report.model_copy(update={"dry_run": True, "reassignment": planned})
    return report


def failover_in(
    conn: sa.Connection, machine: Machine, policy: CoordinationSettings, *, now: datetime
) -> FailoverReport:
    """Sweep inside the caller's transaction."""
    serialise_in(conn)
    resolved = _resolve_returned(conn, now)
    cutoff = now - timedelta(seconds=policy.heartbeat_timeout_s)
    offline = [_take_offline(conn, machine, row, now) for row in _stale(conn, cutoff)]
    raised = sum(_raise_alert(conn, gone, now) for gone in offline)
    moved = {cid: gone.agent_id for gone in offline for cid in gone.released_contracts}
    reassignment = assign_in(conn, policy, now=now, failed_over=moved)
    return FailoverReport(
        dry_run=False,
        dead_lettered=reap_in(conn, now),
        offline=offline,
        reassignment=reassignment,
        alerts_raised=raised,
        alerts_resolved=resolved,
    )


def _stale(conn: sa.Connection, cutoff: datetime) -> list[Any]:
    """Agents silent since before ``cutoff``; locked on PostgreSQL so sweeps serialise."""
    last = sa.func.coalesce(agents.c.heartbeat_at, agents.c.created_at)
    query = (
        sa.select(agents.c.id, agents.c.state, agents.c.heartbeat_at, last.label("last"))
        .where(agents.c.state.not_in(GONE), last < cutoff)
        .order_by(agents.c.id)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(of=agents)
    return list(conn.execute(query))


def _take_offline(conn: sa.Connection, machine: Machine, agent: Any, now: datetime) -> OfflineAgent:
    silent = (now - agent.last).total_seconds()
    why = f"failover: no heartbeat for {silent:.0f}s"
    transition_in(conn, machine, agent.id, OFFLINE, now=now, actor=SYSTEM, reason=why)
    released = release_in(conn, agent.id, now)
    held = sa.select(contracts.c.id).where(
        contracts.c.owner == agent.id,
        contracts.c.status.in_(HELD),
        contracts.c.removed_at.is_(None),
    )
    taken = list(conn.scalars(held.order_by(contracts.c.id)))
    for contract_id in taken:
        reason = f"failover: owner {agent.id} offline"
        change_status(conn, contract_id, "OPEN", actor=SYSTEM, now=now, owner=None, reason=reason)
        fence_in(conn, contract_id, "OPEN")
    return OfflineAgent(
        agent_id=agent.id,
        from_state=agent.state,
        heartbeat_at=agent.heartbeat_at,
        released_messages=released,
        released_contracts=taken,
    )


def _open_alert(agent_id: str) -> sa.ColumnElement[bool]:
    return sa.and_(
        alerts.c.kind == ALERT_KIND,
        alerts.c.resource_kind == ALERT_RESOURCE,
        alerts.c.resource_id == agent_id,
        alerts.c.resolved_at.is_(None),
    )


def _raise_alert(conn: sa.Connection, gone: OfflineAgent, now: datetime) -> int:
    """Raise one open ``agent.offline`` alert per agent; 0 when one is already open."""
    if conn.scalar(sa.select(alerts.c.id).where(_open_alert(gone.agent_id))) is not None:
        return 0
    moved = ", ".join(gone.released_contracts) or "none"
    message = f"agent {gone.agent_id} stopped heartbeating; contracts moved: {moved}"
    conn.execute(
        alerts.insert().values(
            kind=ALERT_KIND,
            resource_kind=ALERT_RESOURCE,
            resource_id=gone.agent_id,
            severity=ALERT_SEVERITY,
            message=message,
            raised_at=now,
        )
    )
    return 1


def _resolve_returned(conn: sa.Connection, now: datetime) -> int:
    """Resolve the open ``agent.offline`` alerts of agents that are no longer OFFLINE."""
    back = sa.select(agents.c.id).where(agents.c.state != OFFLINE)
    update = (
        sa.update(alerts)
        .where(
            alerts.c.kind == ALERT_KIND,
            alerts.c.resource_kind == ALERT_RESOURCE,
            alerts.c.resolved_at.is_(None),
            alerts.c.resource_id.in_(back.scalar_subquery()),
        )
        .values(resolved_at=now)
    )
    return conn.execute(update).rowcount
