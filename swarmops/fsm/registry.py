"""Registering agents, one at a time or as a roster (config/agents.yaml), idempotently.

Registration is the first event of an agent's log (from nothing to the machine's
initial state), so an agent's version always equals its number of events. Changing
role, capacity or skills is not a lifecycle move but is an event all the same: one
from and to the agent's current state, the change in its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal, TypedDict, Unpack

from pydantic import BaseModel, ConfigDict, ValidationError

from swarmops.errors import BadInput, ConfigError, NotFound
from swarmops.fsm import driver
from swarmops.fsm.guards import OPERATOR, SYSTEM
from swarmops.fsm.machine import Machine
from swarmops.fsm.models import Agent, AgentEvent, AgentSpec
from swarmops.store import Unit
from swarmops.store.schema import agent_events, agents

Outcome = Literal["registered", "updated", "unchanged"]


class RegisterOptions(TypedDict, total=False):
    update: bool  # apply a changed role/capacity/skills instead of refusing it
    actor: str  # who registers (logged on the registration event); default operator


class Registration(BaseModel):
    """The agent after registering, and what registering did."""

    model_config = ConfigDict(frozen=True)

    agent: Agent
    outcome: Outcome


class RosterSummary(BaseModel):
    """What applying a roster did, by agent id."""

    model_config = ConfigDict(frozen=True)

    registered: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.registered or self.updated)


def register(
    unit: Unit, machine: Machine, spec: AgentSpec, **options: Unpack[RegisterOptions]
) -> Registration:
    """Register ``spec`` inside ``unit`` (no-op when already identical).

    Two registrations of one new agent at once: the second insert violates the
    primary key, which the caller's retry (``in_unit``) turns into a comparison with
    the winner's row.
    """
    now = unit.now()
    try:
        current = driver.fetch_agent(unit, spec.id)
    except NotFound:
        return Registration(agent=_insert(unit, machine, spec, now, options), outcome="registered")
    if current.spec() == spec:
        return Registration(agent=current, outcome="unchanged")
    if not options.get("update"):
        raise BadInput(
            f"agent {spec.id!r} exists with other data ({_diff(current.spec(), spec)})"
            "; pass --update to change it"
        )
    return Registration(agent=_update(unit, current, spec, options), outcome="updated")


def load_roster(path: Path) -> list[AgentSpec]:
    """The agents declared in a roster file (``agents: [{id, role, capacity, skills}]``)."""
    from swarmops.config_file import read_yaml

    data = read_yaml(Path(path), "roster", ConfigError) or {}
    entries = data.get("agents") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: a roster is a mapping with an 'agents' list")
    specs = [_spec(entry, index, path) for index, entry in enumerate(entries)]
    ids = [spec.id for spec in specs]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"{path}: agent(s) declared twice: {', '.join(duplicates)}")
    return specs


def apply_roster(unit: Unit, machine: Machine, specs: Sequence[AgentSpec]) -> RosterSummary:
    """Register missing agents and update changed ones; agents not listed are left alone."""
    done: dict[Outcome, list[str]] = {"registered": [], "updated": [], "unchanged": []}
    for spec in specs:
        outcome = register(unit, machine, spec, update=True, actor=SYSTEM).outcome
        done[outcome].append(spec.id)
    return RosterSummary(**{name: tuple(ids) for name, ids in done.items()})


def _insert(
    unit: Unit, machine: Machine, spec: AgentSpec, now: datetime, options: RegisterOptions
) -> Agent:
    row = {
        "id": spec.id,
        "role": spec.role,
        "state": machine.initial,
        "version": 1,
        "capacity": spec.capacity,
        "skills": list(spec.skills),
        "heartbeat_at": None,
        "created_at": now,
        "updated_at": now,
    }
    unit.execute(agents.insert(), row)
    actor = options.get("actor") or OPERATOR
    event = {"agent_id": spec.id, "seq": 1, "from_state": None, "to_state": machine.initial}
    unit.execute(
        agent_events.insert(), {**event, "at": now, "actor": actor, "reason": "registered"}
    )
    return Agent.from_row(row)


def _update(unit: Unit, current: Agent, spec: AgentSpec, options: RegisterOptions) -> Agent:
    """Change the agent's data by an event of its log that keeps its state (compare-and-set
    on the version read, like a transition), then the data columns of the projection."""
    change = AgentEvent(
        id=0,
        agent_id=current.id,
        seq=current.version + 1,
        from_state=current.state,
        to_state=current.state,
        at=unit.now(),
        actor=options.get("actor") or OPERATOR,
        reason=f"updated: {_diff(current.spec(), spec)}",
        key=None,
    )
    driver.append_event(unit, current, change)
    values = {"role": spec.role, "capacity": spec.capacity, "skills": list(spec.skills)}
    unit.execute(agents.update().where(agents.c.id == spec.id).values(**values))
    return current.model_copy(
        update={**values, "skills": spec.skills, "version": change.seq, "updated_at": change.at}
    )


def _diff(old: AgentSpec, new: AgentSpec) -> str:
    changed = [
        f"{name} {getattr(old, name)!r} -> {getattr(new, name)!r}"
        for name in ("role", "capacity", "skills")
        if getattr(old, name) != getattr(new, name)
    ]
    return "; ".join(changed)


def _spec(entry: object, index: int, path: Path) -> AgentSpec:
    try:
        return AgentSpec.model_validate(entry)
    except ValidationError as exc:
        from swarmops.config_file import problem

        raise ConfigError(
            f"{path}: {problem(exc, within=f'agents.{index}', model=AgentSpec)}"
        ) from exc
