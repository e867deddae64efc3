"""Granting a reservation: all of the asked patterns, or none and the conflicts.

Serialised per repository: the grant locks the repository's ``reservation_repos``
row (PostgreSQL ``FOR UPDATE``; SQLite's write transaction), expires what is due
there (each with its message and event), then decides against what the previous
grant committed. So of two agents reserving overlapping globs at once exactly one
wins, and the loser is told who holds what until when. Each grant takes the
repository's next fencing token: a later holder of a path always holds a larger
token than every earlier one, so a store of the work can refuse a stale writer.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from swarmops.reservations.globs import normalise
from swarmops.reservations.lifecycle import expire_due, require_agent
from swarmops.reservations.models import Reservation, ReserveRequest, ReserveResult
from swarmops.reservations.queries import conflicts_with, live
from swarmops.settings import CoordinationSettings
from swarmops.store import Unit
from swarmops.store.schema import reservation_repos, reservations
from swarmops.store.sql.reservations import ENSURE_REPO, LOCK_REPO


def reserve(unit: Unit, request: ReserveRequest, policy: CoordinationSettings) -> ReserveResult:
    """Reserve ``request.patterns`` inside ``unit`` (see the module docstring)."""
    patterns = list(dict.fromkeys(normalise(pattern) for pattern in request.patterns))
    require_agent(unit, request.agent_id)
    fence = lock_repository(unit, request.repository)
    expire_due(unit, policy, repository=request.repository)
    active = live(unit, repository=request.repository)
    conflicts = conflicts_with(active, request.agent_id, patterns, request.exclusive)
    repo = reservation_repos.c
    if conflicts:
        refused = repo.refused + 1
        unit.execute(
            sa.update(reservation_repos)
            .where(repo.repository == request.repository)
            .values(refused=refused)
        )
        return ReserveResult(granted=False, conflicts=conflicts)
    token = fence + 1
    unit.execute(
        sa.update(reservation_repos)
        .where(repo.repository == request.repository)
        .values(fence=token)
    )
    granted = [_grant(unit, request, pattern, token, active) for pattern in patterns]
    return ReserveResult(granted=True, reservations=granted)


def lock_repository(unit: Unit, repository: str) -> int:
    """Take the repository's reservation lock until ``unit`` ends; its current fence."""
    now = unit.now()
    unit.run(ENSURE_REPO, {"repository": repository, "fence": 0, "created_at": now})
    return int(unit.run(LOCK_REPO, {"b_repository": repository}).scalar_one())


def _grant(
    unit: Unit, request: ReserveRequest, pattern: str, token: int, active: list[Reservation]
) -> Reservation:
    """A new reservation, or the agent's own one of the same pattern and mode taken over
    (renewed, with the new token and this request's lease and contract)."""
    now = unit.now()
    values = {
        "token": token,
        "ttl_s": request.ttl_s,
        "contract_id": request.contract_id,
        "reason": request.reason,
        "renewed_at": now,
        "expires_at": now + timedelta(seconds=request.ttl_s),
    }
    same = [
        one
        for one in active
        if one.agent_id == request.agent_id
        and one.pattern == pattern
        and one.exclusive == request.exclusive
    ]
    if same:
        unit.execute(sa.update(reservations).where(reservations.c.id == same[0].id).values(values))
        return same[0].model_copy(update=values)
    row = {
        **values,
        "repository": request.repository,
        "pattern": pattern,
        "exclusive": request.exclusive,
        "agent_id": request.agent_id,
        "created_at": now,
    }
    new_id = unit.scalar(reservations.insert().values(row).returning(reservations.c.id))
    return Reservation.model_validate({**row, "id": new_id})
