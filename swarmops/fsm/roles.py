"""Roles: what the code needs to know of a machine's states, declared beside them.

A machine file names, under ``roles``, which states play a part the code relies on,
so no state name is written in the code. The agent lifecycle must declare its
``onboarding`` state (where an agent is until it is onboarded: not started, so never
silent), its ``offline`` state (where failover puts a silent agent), its ``rejoin``
state (where that agent's next heartbeat brings it, by a declared transition), the
states that ``takes_work`` and the states the failover sweep leaves alone (``gone``).
An agent that went offline before it ever took work rejoins to ``onboarding``
instead: a rejoin never moves an agent past its onboarding.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from swarmops.errors import InvalidDefinition

if TYPE_CHECKING:
    from swarmops.fsm.machine import Machine

SINGLE_ROLES = ("onboarding", "offline", "rejoin")
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
    """The agent machine declares every role the code relies on (see the module
    docstring), each single role naming one state, with the transitions a rejoin takes."""
    for name in (*SINGLE_ROLES, *ROLE_SETS):
        if not machine.roles.get(name):
            raise InvalidDefinition(f"{source}: roles.{name} is not declared")
    for name in SINGLE_ROLES:
        if len(machine.roles[name]) != 1:
            raise InvalidDefinition(f"{source}: roles.{name} names exactly one state")
    offline = offline_state(machine)
    if offline not in machine.roles["gone"]:
        raise InvalidDefinition(f"{source}: the offline state {offline} must be in roles.gone")
    _check_rejoins(machine, source)


def _check_rejoins(machine: Machine, source: str) -> None:
    """Both rejoins are declared moves, and onboarding is not a state that takes work."""
    offline, onboarding = offline_state(machine), onboarding_state(machine)
    if onboarding in machine.roles["takes_work"]:
        raise InvalidDefinition(f"{source}: the onboarding state {onboarding} cannot take work")
    rejoins = ((rejoin_state(machine), "a rejoin"), (onboarding, "a rejoin before onboarding"))
    for target, why in rejoins:
        if target not in machine.targets(offline):
            raise InvalidDefinition(f"{source}: no transition {offline} -> {target} for {why}")


def offline_state(machine: Machine) -> str:
    return machine.role("offline")[0]


def rejoin_state(machine: Machine) -> str:
    return machine.role("rejoin")[0]


def onboarding_state(machine: Machine) -> str:
    return machine.role("onboarding")[0]


def unswept_states(machine: Machine) -> list[str]:
    """The states the failover sweep leaves alone: ``gone``, and ``onboarding`` (an agent
    that has not started is not silent)."""
    return [*machine.role("gone"), onboarding_state(machine)]
