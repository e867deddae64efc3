"""Roles: what the code needs to know of a machine's states, declared beside them.

A machine file names, under ``roles``, which states play a part the code relies on,
so no state name is written in the code. The agent lifecycle must declare its
``offline`` state (where failover puts a silent agent), its ``rejoin`` state (where
that agent's next heartbeat brings it, by a declared transition), the states that
``takes_work`` and the states the failover sweep leaves alone (``gone``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from swarmops.errors import InvalidDefinition

if TYPE_CHECKING:
    from swarmops.fsm.machine import Machine

SINGLE_ROLES = ("offline", "rejoin")
ROLE_SETS = ("takes_work", "gone")


def parse_roles(value: Any, states: tuple[str, ...], source: str) -> dict[str, tuple[str, ...]]:
    """``roles: {name: state or [states]}``: what the code needs to know of the states."""
    if not isinstance(value, Mapping):
        raise InvalidDefinition(f"{source}: roles must map a role name to its states")
    roles = {str(name): tuple(_states_of(v, source, name)) for name, v in value.items()}
    for name, members in roles.items():
        unknown = [m for m in members if m not in states]
        if unknown:
            raise InvalidDefinition(
                f"{source}: unknown state of role {name!r}: {', '.join(unknown)}"
            )
    return roles


def _states_of(value: Any, source: str, name: object) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
        raise InvalidDefinition(f"{source}: roles.{name} must be a state or a list of states")
    return list(items)


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
