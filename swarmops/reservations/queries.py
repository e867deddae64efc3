"""Reading reservations: the live ones of a repository, an agent's, and whose a path is."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from swarmops.reservations.globs import covers, overlaps
from swarmops.reservations.models import Conflict, Reservation
from swarmops.store import Store, Unit
from swarmops.store.schema import reservations

r = reservations.c


def live(
    unit: Unit, *, repository: str | None = None, agent_id: str | None = None
) -> list[Reservation]:
    """Reservations not ended and not past their expiry, oldest first."""
    query = sa.select(reservations).where(r.ended_at.is_(None), r.expires_at > unit.now())
    if repository is not None:
        query = query.where(r.repository == repository)
    if agent_id is not None:
        query = query.where(r.agent_id == agent_id)
    return [Reservation.from_row(row) for row in unit.execute(query.order_by(r.id))]


def list_reservations(
    store: Store, *, repository: str | None = None, agent_id: str | None = None
) -> list[Reservation]:
    """What ``swarmops reservations`` prints: the live reservations, filtered."""
    with store.unit(read_only=True) as unit:
        return live(unit, repository=repository, agent_id=agent_id)


def held_by_others(
    unit: Unit, repository: str, agent_id: str, paths: Iterable[str]
) -> list[Conflict]:
    """Another agent's live reservation covering each path (a write conflicts with
    shared and exclusive reservations alike). Paths are normalised file paths."""
    others = [one for one in live(unit, repository=repository) if one.agent_id != agent_id]
    return [
        Conflict(pattern=path, held=held)
        for path in paths
        for held in others
        if covers(held.pattern, path)
    ]


def conflicts_with(
    active: list[Reservation], agent_id: str, patterns: list[str], exclusive: bool
) -> list[Conflict]:
    """The asked patterns that another agent's reservation forbids: two shared
    reservations coexist, anything exclusive on either side conflicts."""
    return [
        Conflict(pattern=pattern, held=held)
        for pattern in patterns
        for held in active
        if held.agent_id != agent_id
        and (exclusive or held.exclusive)
        and overlaps(pattern, held.pattern)
    ]
