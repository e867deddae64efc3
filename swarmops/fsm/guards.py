"""Who is acting (actor kinds) and the named guards the agent lifecycle may use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import sqlalchemy as sa

from swarmops.fsm.machine import Machine, load_machine
from swarmops.store.schema import contracts

SYSTEM = "system"
OPERATOR = "operator"
# Contract statuses in which the owner is holding the work.
HELD_STATUSES = ("ASSIGNED", "IN_PROGRESS", "REVIEW", "BLOCKED")

Guard = Callable[[sa.Connection, str], bool]

_HAS_CONTRACT = (
    sa.select(contracts.c.id)
    .where(
        contracts.c.owner == sa.bindparam("b_agent"),
        contracts.c.status.in_(HELD_STATUSES),
        contracts.c.removed_at.is_(None),
    )
    .limit(1)
)


def actor_kind(actor: str, agent_id: str) -> str:
    """``system`` is the system, the agent's own id is the agent, anyone else an operator."""
    if actor == SYSTEM:
        return SYSTEM
    return "agent" if actor == agent_id else OPERATOR


def has_assigned_contract(conn: sa.Connection, agent_id: str) -> bool:
    """The agent owns a live contract that is assigned to it or in work."""
    return conn.execute(_HAS_CONTRACT, {"b_agent": agent_id}).first() is not None


AGENT_GUARDS: Mapping[str, Guard] = {"has_assigned_contract": has_assigned_contract}


def load_agent_machine(path: Path) -> Machine:
    """The agent lifecycle from ``path``, allowing exactly the guards defined here."""
    return load_machine(path, guards=AGENT_GUARDS.keys())
