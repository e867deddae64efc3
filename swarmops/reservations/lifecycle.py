"""How reservations end or go on: release, renewal by heartbeat, expiry, failover, contracts.

A reservation row is never deleted: it ends, with ``ended_at`` and a reason
(``released``, ``expired``, ``failover``, ``contract.done``, ``contract.reassigned``).
Every end is a guarded update (``… AND ended_at IS NULL``), so two sweeps racing
on one reservation end it once. An expiry is never silent: its holder gets a
message and a ``swarmops.reservation.expired`` event goes to the outbox, in the
same unit as the expiry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa

from swarmops.errors import NotFound
from swarmops.outbox import EventSpec, queue_event
from swarmops.reservations.models import Ended, Reservation
from swarmops.settings import CoordinationSettings
from swarmops.store import Unit
from swarmops.store.schema import agents, reservations
from swarmops.store.sql.reservations import RENEW, RENEWABLE

r = reservations.c
SENDER = "swarmops"
EXPIRED, RELEASED, FAILOVER = "expired", "released", "failover"
CONTRACT_DONE, CONTRACT_REASSIGNED = "contract.done", "contract.reassigned"


def release(
    unit: Unit, agent_id: str, *, ids: Sequence[int] = (), repository: str | None = None
) -> Ended:
    """End the agent's live reservations: the given ids (each must be the agent's and
    live, else NotFound saying what became of it), or all of them in ``repository``,
    or all of them."""
    where = [r.agent_id == agent_id]
    if ids:
        _require_held(unit, agent_id, ids)
        where.append(r.id.in_(list(ids)))
    if repository is not None:
        where.append(r.repository == repository)
    return _end(unit, sa.and_(*where), RELEASED)


def release_agent(unit: Unit, agent_id: str, reason: str = FAILOVER) -> Ended:
    """Failover: every reservation of an agent that went offline."""
    return _end(unit, r.agent_id == agent_id, reason)


def release_contract(unit: Unit, contract_id: str, *, owner: str | None, finished: bool) -> Ended:
    """A contract that finished releases its reservations; one that changed hands
    releases those of every agent but its new ``owner``."""
    where = r.contract_id == contract_id
    if finished:
        return _end(unit, where, CONTRACT_DONE)
    if owner is not None:
        where = sa.and_(where, r.agent_id != owner)
    return _end(unit, where, CONTRACT_REASSIGNED)


def renew(unit: Unit, agent_id: str) -> int:
    """A heartbeat extends each live reservation of the agent by its own lease; one
    already past its expiry is left for the expiry sweep (never silently revived)."""
    now = unit.now()
    encode = unit.codec.encode_time
    rows = unit.raw(RENEWABLE, (agent_id, encode(now))).fetchall()
    for reservation_id, ttl_s in rows:
        until = encode(now + timedelta(seconds=ttl_s))
        unit.raw(RENEW, (encode(now), until, reservation_id))
    return len(rows)


def expire_due(unit: Unit, policy: CoordinationSettings, *, repository: str | None = None) -> Ended:
    """End the reservations past their expiry; message each holder, queue each event."""
    where = sa.and_(r.ended_at.is_(None), r.expires_at <= unit.now())
    if repository is not None:
        where = sa.and_(where, r.repository == repository)
    ended = _end(unit, where, EXPIRED)
    for one in ended.reservations:
        _announce_expiry(unit, one, policy)
    return ended


def require_agent(unit: Unit, agent_id: str) -> None:
    if unit.scalar(sa.select(agents.c.id).where(agents.c.id == agent_id)) is None:
        raise NotFound(f"no agent {agent_id!r}")


def _end(unit: Unit, where: sa.ColumnElement[bool], reason: str) -> Ended:
    now = unit.now()
    live = sa.and_(where, r.ended_at.is_(None))
    rows = unit.execute(sa.select(reservations).where(live).order_by(r.id)).all()
    done = []
    for row in rows:
        changed = unit.execute(
            sa.update(reservations)
            .where(r.id == row.id, r.ended_at.is_(None))
            .values(ended_at=now, end_reason=reason)
        )
        if changed.rowcount == 1:  # 0: a concurrent sweep ended it first
            done.append(
                Reservation.from_row(row).model_copy(update={"ended_at": now, "end_reason": reason})
            )
    return Ended(reason=reason, reservations=done)


def _require_held(unit: Unit, agent_id: str, ids: Sequence[int]) -> None:
    rows = unit.execute(sa.select(reservations).where(r.id.in_(list(ids)))).all()
    found = {row.id: Reservation.from_row(row) for row in rows}
    for wanted in ids:
        one = found.get(wanted)
        if one is None:
            raise NotFound(f"no reservation {wanted}")
        if one.agent_id != agent_id:
            raise NotFound(f"reservation {wanted} is held by {one.agent_id}, not {agent_id}")
        if one.ended_at is not None:
            raise NotFound(f"reservation {wanted} already ended ({one.end_reason})")


def _announce_expiry(unit: Unit, one: Reservation, policy: CoordinationSettings) -> None:
    from swarmops.coordination import SendRequest, send  # late: coordination imports us

    text = (
        f"reservation {one.id} of {one.repository}:{one.pattern} ({one.mode}) expired at "
        f"{one.expires_at.isoformat(timespec='seconds')}; reserve it again before editing"
    )
    facts = {
        "reservation_id": one.id,
        "repository": one.repository,
        "pattern": one.pattern,
        "exclusive": one.exclusive,
        "agent_id": one.agent_id,
        "contract_id": one.contract_id,
        "token": one.token,
        "expires_at": one.expires_at.isoformat(),
    }
    body = {"kind": "reservation.expired", "text": text, **facts}
    send(unit, SendRequest(sender=SENDER, to=one.agent_id, body=body, priority=5), policy)
    spec = EventSpec(
        kind="reservation.expired",
        resource_kind="reservation",
        resource_id=str(one.id),
        message=text,
        payload=facts,
    )
    queue_event(unit, spec)
