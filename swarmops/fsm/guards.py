"""Who is acting (actor kinds) and the named guards the agent lifecycle may use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from swarmops.errors import InvalidDefinition
from swarmops.fsm.machine import Machine, load_machine
from swarmops.store import Unit
from swarmops.store.schema import contracts

SINGLE_ROLES = ("offline", "rejoin")
ROLE_SETS = ("takes_work", "gone")
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


def check_agent_roles(machine: Machine, source: str) -> None:
    """The agent machine names its ``offline`` state (where failover puts a silent agent),
    its ``rejoin`` state (where that agent's next heartbeat brings it), the states that
    ``takes_work`` and the states the failover sweep leaves alone (``gone``)."""
    for name in (*SINGLE_ROLES, *ROLE_SETS):
        if not machine.roles.get(name):
            raise InvalidDefinition(f"{source}: roles.{name} is not declared")
    for name in SINGLE_ROLES:
        if len(machine.roles[name]) != 1:
            raise InvalidDefinition(f"{source}: roles.{name} names exactly one state")
    (offline,), (rejoin,) = machine.roles["offline"], machine.roles["rejoin"]
    if rejoin not in machine.targets(offline):
        raise InvalidDefinition(f"{source}: no transition {offline} -> {rejoin} for a rejoin")
    if offline not in machine.roles["gone"]:
        raise InvalidDefinition(f"{source}: the offline state {offline} must be in roles.gone")


def offline_state(machine: Machine) -> str:
    return machine.role("offline")[0]


def rejoin_state(machine: Machine) -> str:
    return machine.role("rejoin")[0]
