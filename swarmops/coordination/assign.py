"""``swarmops assign``: give open contracts to capable agents, fenced, in one transaction.

Each assignment bumps the contract's fencing token, records an ``assignments`` row,
moves the contract OPEN -> ASSIGNED with its new owner (actor ``system``) and sends
the owner a message carrying the token: an ``assignment``, or a ``handoff`` with the
previous owner and the last progress when the contract had an owner before.
Only OPEN contracts are planned, so a second run assigns nothing new.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from swarmops.contracts import change_status
from swarmops.coordination.models import SendRequest
from swarmops.coordination.planner import (
    MESSAGE_PRIORITY,
    AgentSlot,
    OpenWork,
    PlannedAssignment,
    plan_assignments,
)
from swarmops.coordination.reports import AssignmentReport
from swarmops.coordination.send import send_in
from swarmops.errors import Conflict
from swarmops.settings import CoordinationSettings
from swarmops.store import Store
from swarmops.store.engine import READ_OPTION
from swarmops.store.schema import agents, assignments, contracts, progress_events

SYSTEM = "system"
TAKING_WORK = ("IDLE", "CONTRACT_ACTIVE")
HELD = ("ASSIGNED", "IN_PROGRESS", "BLOCKED", "REVIEW")
c = contracts.c
ADVISORY_KEY = 0x5357_4F50_0001  # "SWOP" 1: assignment and failover


def assign(
    store: Store, policy: CoordinationSettings, *, dry_run: bool = False
) -> AssignmentReport:
    """Assign every open contract that a capable agent has room for (or only plan it)."""
    if dry_run:
        with store.read() as conn:
            planned, unassigned = plan_assignments(_open_work(conn), _slots(conn))
        return AssignmentReport(dry_run=True, assignments=planned, unassigned=unassigned)
    with store.write() as conn:
        return assign_in(conn, policy, now=store.now())


def assign_in(
    conn: sa.Connection,
    policy: CoordinationSettings,
    *,
    now: datetime,
    failed_over: Mapping[str, str] | None = None,
) -> AssignmentReport:
    """Assign inside the caller's transaction; ``failed_over`` maps contract -> old owner."""
    serialise_in(conn)
    planned, unassigned = plan_assignments(_open_work(conn), _slots(conn))
    reasons = {cid: "failover" for cid in failed_over or {}}
    for_real = [
        p.model_copy(update={"reason": reasons.get(p.contract_id, p.reason)}) for p in planned
    ]
    made = [_apply(conn, plan, policy, now) for plan in for_real]
    return AssignmentReport(dry_run=False, assignments=made, unassigned=unassigned)


def serialise_in(conn: sa.Connection) -> None:
    """One assignment or failover at a time: SQLite's write lock already gives that; on
    PostgreSQL a transaction-scoped advisory lock does, so runs never deadlock on agents."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(ADVISORY_KEY)))


def _open_work(conn: sa.Connection) -> list[OpenWork]:
    query = sa.select(c.id, c.title, c.priority, c.due, c.required_skills).where(
        c.status == "OPEN", c.removed_at.is_(None)
    )
    return [
        OpenWork(
            id=row.id,
            title=row.title,
            priority=row.priority,
            due=row.due,
            required_skills=frozenset(row.required_skills),
        )
        for row in conn.execute(query)
    ]


def _slots(conn: sa.Connection) -> list[AgentSlot]:
    """Agents that take work; on PostgreSQL their rows stay locked, serialising runs."""
    query = sa.select(agents.c.id, agents.c.skills, agents.c.capacity).where(
        agents.c.state.in_(TAKING_WORK)
    )
    if conn.dialect.name == "postgresql" and not conn.get_execution_options().get(READ_OPTION):
        query = query.with_for_update()
    rows = conn.execute(query.order_by(agents.c.id)).all()
    held = sa.select(c.owner, sa.func.count()).where(c.status.in_(HELD), c.removed_at.is_(None))
    load: dict[str, int] = {owner: n for owner, n in conn.execute(held.group_by(c.owner))}
    return [
        AgentSlot(id=r.id, skills=frozenset(r.skills), capacity=r.capacity, load=load.get(r.id, 0))
        for r in rows
    ]


def _apply(
    conn: sa.Connection, plan: PlannedAssignment, policy: CoordinationSettings, now: datetime
) -> PlannedAssignment:
    """Fence, log, move and tell the owner: one assignment, in the caller's transaction."""
    made = plan.model_copy(update={"token": fence_in(conn, plan.contract_id, "OPEN")})
    previous = _previous_owner(conn, plan.contract_id, plan.agent_id)
    reason = f"{plan.reason} to {plan.agent_id} (token {made.token})"
    change_status(
        conn,
        plan.contract_id,
        "ASSIGNED",
        actor=SYSTEM,
        now=now,
        owner=plan.agent_id,
        reason=reason,
    )
    row = {"contract_id": plan.contract_id, "agent_id": plan.agent_id, "reason": plan.reason}
    conn.execute(assignments.insert().values(**row, fence_token=made.token, at=now))
    request = SendRequest(
        sender=SYSTEM,
        to=plan.agent_id,
        body=_body(conn, made, previous),
        priority=MESSAGE_PRIORITY.get(plan.priority, 5),
        key=f"{plan.reason}:{plan.contract_id}:{made.token}",
    )
    send_in(conn, request, policy=policy, now=now)
    return made


def fence_in(conn: sa.Connection, contract_id: str, status: str) -> int:
    """Bump the contract's fencing token if it is still in ``status``; the new token."""
    bump = (
        sa.update(contracts)
        .where(c.id == contract_id, c.status == status)
        .values(fence_token=c.fence_token + 1)
        .returning(c.fence_token)
    )
    token = conn.execute(bump).scalar()
    if token is None:
        raise Conflict(f"contract {contract_id!r} is no longer {status}; run the command again")
    return int(token)


def _previous_owner(conn: sa.Connection, contract_id: str, new_owner: str) -> str | None:
    query = (
        sa.select(assignments.c.agent_id)
        .where(assignments.c.contract_id == contract_id)
        .order_by(assignments.c.fence_token.desc())
        .limit(1)
    )
    previous = conn.scalar(query)
    return previous if previous != new_owner else None


def _body(conn: sa.Connection, made: PlannedAssignment, previous: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "handoff" if previous else "assignment",
        "contract_id": made.contract_id,
        "token": made.token,
        "priority": made.priority,
        "due": made.due.isoformat() if made.due else None,
    }
    if previous:
        body["previous_owner"] = previous
        body["last_progress"] = _last_progress(conn, made.contract_id)
    return body


def _last_progress(conn: sa.Connection, contract_id: str) -> dict[str, Any] | None:
    p = progress_events.c
    query = (
        sa.select(p.agent_id, p.percent, p.task_id, p.note, p.at)
        .where(p.contract_id == contract_id)
        .order_by(p.at.desc(), p.id.desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    if row is None:
        return None
    return {**row._asdict(), "at": row.at.isoformat()}
