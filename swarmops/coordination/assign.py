"""``swarmops assign``: give open contracts to capable agents, fenced, in one unit of work.

Each assignment bumps the contract's fencing token, records an ``assignments`` row,
moves the contract OPEN -> ASSIGNED with its new owner (actor ``system``) and sends
the owner a message carrying the token: an ``assignment``, or a ``handoff`` with the
previous owner and the last progress when the contract had an owner before.
Only open contracts are planned, so a second run assigns nothing new. The agents
that take work are the machine's ``takes_work`` role, and one assignment or
failover runs at a time (``Lock.ASSIGN``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from swarmops.contracts import change_status
from swarmops.contracts.status import ASSIGNED, HELD, OPEN_STATUSES
from swarmops.coordination.models import SendRequest
from swarmops.coordination.planner import (
    MESSAGE_PRIORITY,
    AgentSlot,
    OpenWork,
    PlannedAssignment,
    plan_assignments,
)
from swarmops.coordination.reports import AssignmentReport
from swarmops.coordination.send import send
from swarmops.errors import Conflict
from swarmops.fsm import Machine
from swarmops.fsm.guards import SYSTEM
from swarmops.settings import CoordinationSettings
from swarmops.store import Lock, Unit
from swarmops.store.schema import assignments, contracts, progress_events
from swarmops.store.sql.assignment import SLOTS, SLOTS_QUERY

c = contracts.c


def assign(
    unit: Unit,
    machine: Machine,
    policy: CoordinationSettings,
    *,
    dry_run: bool = False,
    failed_over: Mapping[str, str] | None = None,
) -> AssignmentReport:
    """Assign every open contract that an agent in a ``takes_work`` state has room for;
    ``dry_run`` only plans (and writes nothing, so a read-only unit will do).
    ``failed_over`` maps contract -> previous owner for the failover sweep."""
    if not dry_run:
        unit.lock(Lock.ASSIGN)
    slots = _slots(unit, machine, locked=not dry_run)
    planned, unassigned = plan_assignments(_open_work(unit), slots)
    if dry_run:
        return AssignmentReport(dry_run=True, assignments=planned, unassigned=unassigned)
    reasons = {cid: "failover" for cid in failed_over or {}}
    for_real = [
        p.model_copy(update={"reason": reasons.get(p.contract_id, p.reason)}) for p in planned
    ]
    made = [_apply(unit, plan, policy) for plan in for_real]
    return AssignmentReport(dry_run=False, assignments=made, unassigned=unassigned)


def _open_work(unit: Unit) -> list[OpenWork]:
    query = sa.select(c.id, c.title, c.priority, c.due, c.required_skills).where(
        c.status.in_(OPEN_STATUSES), c.removed_at.is_(None)
    )
    return [
        OpenWork(
            id=row.id,
            title=row.title,
            priority=row.priority,
            due=row.due,
            required_skills=frozenset(row.required_skills),
        )
        for row in unit.execute(query)
    ]


def _slots(unit: Unit, machine: Machine, *, locked: bool) -> list[AgentSlot]:
    """Agents that take work, with the contracts they hold; rows locked when assigning."""
    states = {"b_states": list(machine.role("takes_work"))}
    rows = (unit.run(SLOTS, states) if locked else unit.execute(SLOTS_QUERY, states)).all()
    held = sa.select(c.owner, sa.func.count()).where(c.status.in_(HELD), c.removed_at.is_(None))
    counted: Sequence[Any] = unit.execute(held.group_by(c.owner)).all()
    load: dict[str, int] = {owner: n for owner, n in counted}
    return [
        AgentSlot(id=r.id, skills=frozenset(r.skills), capacity=r.capacity, load=load.get(r.id, 0))
        for r in rows
    ]


def _apply(unit: Unit, plan: PlannedAssignment, policy: CoordinationSettings) -> PlannedAssignment:
    """Fence, log, move and tell the owner: one assignment, in the caller's unit."""
    now = unit.now()
    made = plan.model_copy(update={"token": fence(unit, plan.contract_id, OPEN_STATUSES)})
    previous = _previous_owner(unit, plan.contract_id, plan.agent_id)
    reason = f"{plan.reason} to {plan.agent_id} (token {made.token})"
    change_status(
        unit, plan.contract_id, ASSIGNED, actor=SYSTEM, owner=plan.agent_id, reason=reason
    )
    row = {"contract_id": plan.contract_id, "agent_id": plan.agent_id, "reason": plan.reason}
    unit.execute(assignments.insert().values(**row, fence_token=made.token, at=now))
    request = SendRequest(
        sender=SYSTEM,
        to=plan.agent_id,
        body=_body(unit, made, previous),
        priority=MESSAGE_PRIORITY.get(plan.priority, 5),
        key=f"{plan.reason}:{plan.contract_id}:{made.token}",
    )
    send(unit, request, policy)
    return made


def fence(unit: Unit, contract_id: str, statuses: tuple[str, ...]) -> int:
    """Bump the contract's fencing token if it is still in one of ``statuses``; the new token."""
    bump = (
        sa.update(contracts)
        .where(c.id == contract_id, c.status.in_(statuses))
        .values(fence_token=c.fence_token + 1)
        .returning(c.fence_token)
    )
    token = unit.scalar(bump)
    if token is None:
        raise Conflict(
            f"contract {contract_id!r} is no longer {'/'.join(statuses)}; run the command again"
        )
    return int(token)


def _previous_owner(unit: Unit, contract_id: str, new_owner: str) -> str | None:
    query = (
        sa.select(assignments.c.agent_id)
        .where(assignments.c.contract_id == contract_id)
        .order_by(assignments.c.fence_token.desc())
        .limit(1)
    )
    previous = unit.scalar(query)
    return previous if previous != new_owner else None


def _body(unit: Unit, made: PlannedAssignment, previous: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "handoff" if previous else "assignment",
        "contract_id": made.contract_id,
        "token": made.token,
        "priority": made.priority,
        "due": made.due.isoformat() if made.due else None,
    }
    if previous:
        body["previous_owner"] = previous
        body["last_progress"] = _last_progress(unit, made.contract_id)
    return body


def _last_progress(unit: Unit, contract_id: str) -> dict[str, Any] | None:
    p = progress_events.c
    query = (
        sa.select(p.agent_id, p.percent, p.task_id, p.note, p.at)
        .where(p.contract_id == contract_id)
        .order_by(p.at.desc(), p.id.desc())
        .limit(1)
    )
    row = unit.execute(query).first()
    if row is None:
        return None
    return {**row._asdict(), "at": row.at.isoformat()}
