"""``swarmops failover``: move the work of agents that stopped heartbeating.

One sweep, one unit of work: every agent outside the machine's ``gone`` states and its
``onboarding`` state (an agent nobody has onboarded has not started, so it is not
silent) whose last heartbeat — or registration, if it never beat — is older than the
timeout, unless its own session hooks said it stopped (idle: waiting for its user,
reported as ``idle`` and left alone), goes to the ``offline`` state (actor ``system``, the silence in the
reason); its leased messages become visible again; the contracts it holds go back to
open with a new fencing token, so the old owner's token is stale at once; then
assignment gives them to capable agents with a handoff message. An ``agent.offline``
alert is raised once per agent through the outbox and resolved by the first sweep after
the agent is back; messages past their TTL (or out of attempts) are moved to the dead
letters. A second sweep finds nothing to do.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from swarmops.agent_sessions import idle_agents
from swarmops.contracts import change_status
from swarmops.contracts.status import HELD, OPEN, OPEN_STATUSES
from swarmops.coordination.assign import assign, fence
from swarmops.coordination.claim import reap
from swarmops.coordination.reports import FailoverReport, OfflineAgent
from swarmops.coordination.settle import release
from swarmops.fsm import Machine, offline_state, transition, unswept_states
from swarmops.fsm.guards import SYSTEM
from swarmops.outbox import AlertSpec, open_alerts, raise_alert, resolve_alerts
from swarmops.reservations.lifecycle import expire_due, release_agent
from swarmops.settings import CoordinationSettings
from swarmops.store import Lock, Unit
from swarmops.store.schema import agents, contracts
from swarmops.store.sql.assignment import STALE

ALERT_KIND, ALERT_RESOURCE, ALERT_SEVERITY = "agent.offline", "agent", "warning"


def failover(unit: Unit, machine: Machine, policy: CoordinationSettings) -> FailoverReport:
    """Sweep once inside ``unit`` (``--dry-run``: run it in a unit that is rolled back,
    see ``swarmops.coordination.rehearse``)."""
    unit.lock(Lock.ASSIGN)
    resolved = _resolve_returned(unit, machine)
    cutoff = unit.now() - timedelta(seconds=policy.heartbeat_timeout_s)
    stale = unit.run(STALE, {"b_gone": unswept_states(machine), "b_cutoff": cutoff}).all()
    idle = idle_agents(unit)  # a stopped session is idle, not dead: it keeps its work
    offline = [_take_offline(unit, machine, row) for row in stale if row.id not in idle]
    raised = sum(_raise_alert(unit, gone) for gone in offline)
    moved = {cid: gone.agent_id for gone in offline for cid in gone.released_contracts}
    reassignment = assign(unit, machine, policy, failed_over=moved)
    expire_due(unit, policy)  # every lapsed reservation: a message to its holder, an event
    return FailoverReport(
        dry_run=False,
        dead_lettered=reap(unit),
        offline=offline,
        reassignment=reassignment,
        alerts_raised=raised,
        alerts_resolved=resolved,
        idle=sorted(row.id for row in stale if row.id in idle),
    )


def _take_offline(unit: Unit, machine: Machine, agent: Any) -> OfflineAgent:
    silent = (unit.now() - agent.last).total_seconds()
    why = f"failover: no heartbeat for {silent:.0f}s"
    transition(unit, machine, agent.id, offline_state(machine), actor=SYSTEM, reason=why)
    released = release(unit, agent.id)
    release_agent(unit, agent.id)  # its path reservations go with its contracts
    held = sa.select(contracts.c.id).where(
        contracts.c.owner == agent.id,
        contracts.c.status.in_(HELD),
        contracts.c.removed_at.is_(None),
    )
    taken = unit.scalars(held.order_by(contracts.c.id))
    for contract_id in taken:
        reason = f"failover: owner {agent.id} offline"
        change_status(unit, contract_id, OPEN, actor=SYSTEM, owner=None, reason=reason)
        fence(unit, contract_id, OPEN_STATUSES)
    return OfflineAgent(
        agent_id=agent.id,
        from_state=agent.state,
        heartbeat_at=agent.heartbeat_at,
        released_messages=released,
        released_contracts=taken,
    )


def _raise_alert(unit: Unit, gone: OfflineAgent) -> int:
    """Raise one open ``agent.offline`` alert per agent (with its outbox row); 0 when one
    is already open."""
    moved = ", ".join(gone.released_contracts) or "none"
    spec = AlertSpec(
        kind=ALERT_KIND,
        resource_kind=ALERT_RESOURCE,
        resource_id=gone.agent_id,
        severity=ALERT_SEVERITY,
        message=f"agent {gone.agent_id} stopped heartbeating; contracts moved: {moved}",
        payload={"agent_id": gone.agent_id, "contracts": gone.released_contracts},
    )
    return 0 if raise_alert(unit, spec) is None else 1


def _resolve_returned(unit: Unit, machine: Machine) -> int:
    """Resolve the open ``agent.offline`` alerts of agents no longer offline."""
    alerted = list(open_alerts(unit, ALERT_KIND))
    if not alerted:
        return 0
    back = sa.select(agents.c.id).where(
        agents.c.id.in_(alerted), agents.c.state != offline_state(machine)
    )
    return len(resolve_alerts(unit, ALERT_KIND, unit.scalars(back)))
