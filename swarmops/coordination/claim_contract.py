"""An agent takes work itself: claim the next contract that fits, release it, submit it.

``claim_next`` is atomic: it locks the agent's row (so one agent's concurrent claims
respect its capacity) and then the first fitting OPEN contract it can lock, skipping
any another claimer holds, so two agents claiming at once never get the same one.
The claim bumps the contract's fencing token, records the assignment and moves it
OPEN -> ASSIGNED with the agent as owner (actor ``system``, as ``assign`` does); the
answer carries the token the agent presents with its progress.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.contracts import Contract, change_status
from swarmops.contracts.sql import fetch_contract
from swarmops.contracts.status import HELD, OPEN
from swarmops.coordination.assign import fence
from swarmops.coordination.planner import PRIORITY_RANK
from swarmops.errors import BadInput, NotFound, StaleToken
from swarmops.fsm import Machine
from swarmops.fsm.guards import SYSTEM
from swarmops.store import Unit
from swarmops.store.schema import assignments, contracts
from swarmops.store.sql.claims import LOCK_AGENT, LOCK_OPEN

c = contracts.c
REASON = "claim"


class Claimed(BaseModel):
    """What a claim gave the agent: the contract and its fencing token (None: nothing fit)."""

    model_config = ConfigDict(frozen=True)

    contract: Contract | None
    token: int | None


def claim_next(unit: Unit, machine: Machine, agent_id: str) -> Claimed:
    """Give ``agent_id`` the most urgent OPEN contract it has the skills and a free slot for."""
    agent = unit.run(LOCK_AGENT, {"b_agent": agent_id}).first()
    if agent is None:
        raise NotFound(f"unknown agent {agent_id!r}")
    if agent.state not in machine.role("takes_work"):
        raise BadInput(f"agent {agent_id!r} is {agent.state}: it takes no work now")
    if held_count(unit, agent_id) >= agent.capacity:
        raise BadInput(f"agent {agent_id!r} holds {agent.capacity} contract(s): no free slot")
    for contract_id in _fitting(unit, frozenset(agent.skills)):
        if unit.run(LOCK_OPEN, {"b_id": contract_id}).first() is not None:
            return _take(unit, agent_id, contract_id)
    return Claimed(contract=None, token=None)


def held_count(unit: Unit, agent_id: str) -> int:
    query = sa.select(sa.func.count()).where(
        c.owner == agent_id, c.status.in_(HELD), c.removed_at.is_(None)
    )
    return int(unit.scalar(query) or 0)


def held_contracts(unit: Unit, agent_id: str) -> list[Contract]:
    """The live contracts ``agent_id`` holds, each with its current fencing token."""
    query = sa.select(c.id).where(c.owner == agent_id, c.status.in_(HELD), c.removed_at.is_(None))
    return [fetch_contract(unit, cid) for cid in unit.scalars(query.order_by(c.id))]


def release(unit: Unit, agent_id: str, contract_id: str, token: int) -> Contract:
    """Give a held contract back: OPEN again, owner cleared (the next claim fences anew)."""
    _check_held(unit, agent_id, contract_id, token)
    change_status(
        unit,
        contract_id,
        "OPEN",
        actor=SYSTEM,
        owner=None,
        reason=f"released by {agent_id} (token {token})",
    )
    return fetch_contract(unit, contract_id)


def submit(unit: Unit, agent_id: str, contract_id: str, token: int) -> Contract:
    """Ask for review of a held contract in work (IN_PROGRESS -> REVIEW, as its owner)."""
    _check_held(unit, agent_id, contract_id, token)
    change_status(
        unit,
        contract_id,
        "REVIEW",
        actor=agent_id,
        reason="submitted for review",
    )
    return fetch_contract(unit, contract_id)


def _fitting(unit: Unit, skills: frozenset[str]) -> Sequence[str]:
    """OPEN live contracts whose required skills the agent has, most urgent first."""
    query = sa.select(c.id, c.priority, c.due, c.required_skills).where(
        c.status == OPEN, c.removed_at.is_(None)
    )
    rows = [row for row in unit.execute(query) if set(row.required_skills) <= skills]
    rows.sort(key=lambda r: (PRIORITY_RANK.get(r.priority, 9), r.due is None, r.due, r.id))
    return [row.id for row in rows]


def _take(unit: Unit, agent_id: str, contract_id: str) -> Claimed:
    token = fence(unit, contract_id, (OPEN,))
    change_status(
        unit,
        contract_id,
        "ASSIGNED",
        actor=SYSTEM,
        owner=agent_id,
        reason=f"claimed by {agent_id} (token {token})",
    )
    row = {"contract_id": contract_id, "agent_id": agent_id, "reason": REASON}
    unit.execute(assignments.insert().values(**row, fence_token=token, at=unit.now()))
    return Claimed(contract=fetch_contract(unit, contract_id), token=token)


def _check_held(unit: Unit, agent_id: str, contract_id: str, token: int) -> None:
    contract = fetch_contract(unit, contract_id, lock=True)
    if contract.owner != agent_id or contract.status not in HELD:
        raise BadInput(f"agent {agent_id!r} does not hold contract {contract_id!r}")
    if token != contract.fence_token:
        raise StaleToken(
            f"contract {contract_id!r}: token {token} is not the current {contract.fence_token}"
        )
