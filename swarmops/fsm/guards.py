"""Who is acting (actor kinds) and the named guards the agent lifecycle may use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from swarmops.fsm.machine import Machine, load_machine
from swarmops.fsm.roles import check_agent_roles
from swarmops.store import Unit
from swarmops.store.schema import contracts

SYSTEM = "system"
OPERATOR = "operator"

Guard = Callable[[Unit, str], bool]


@cache
def _has_contract() -> sa.Select[tuple[str]]:
    # Imported here: swarmops.contracts builds on the fsm (machine, actor kinds).
    from swarmops.contracts.status import HELD

    return (
        sa.select(contracts.c.id)
        .where(
            contracts.c.owner == sa.bindparam("b_agent"),
            contracts.c.status.in_(HELD),
            contracts.c.removed_at.is_(None),
        )
        .limit(1)
    )


def actor_kind(actor: str, agent_id: str) -> str:
    """``system`` is the system, the agent's own id is the agent, anyone else an operator."""
    if actor == SYSTEM:
        return SYSTEM
    return "agent" if actor == agent_id else OPERATOR


def has_assigned_contract(unit: Unit, agent_id: str) -> bool:
    """The agent owns a live contract that is assigned to it or in work."""
    return unit.execute(_has_contract(), {"b_agent": agent_id}).first() is not None


AGENT_GUARDS: Mapping[str, Guard] = {"has_assigned_contract": has_assigned_contract}


def load_agent_machine(path: Path) -> Machine:
    """The agent lifecycle from ``path``, allowing exactly the guards defined here and
    declaring the roles the code relies on (see ``check_agent_roles``)."""
    machine = load_machine(path, guards=AGENT_GUARDS.keys())
    check_agent_roles(machine, str(path))
    return machine
