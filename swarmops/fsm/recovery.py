"""Recovery: replay each agent's log, compare it with the projection, or rebuild from it.

The log is the truth. Replay checks that every event is a legal move of the
machine for its actor (guards depend on the world at the time and are not
re-checked) or keeps the state (a change of the agent's role, capacity or skills:
the machine has no move from a state to itself), that sequence numbers run 1..n, and that the projection's state and
version equal the log's last state and event count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.errors import SwarmopsError
from swarmops.fsm.guards import actor_kind
from swarmops.fsm.machine import Machine
from swarmops.fsm.models import Agent, AgentEvent
from swarmops.store import Store, Unit
from swarmops.store.integrity import check_integrity
from swarmops.store.schema import agent_events, agents
from swarmops.store.sql import for_update

# The rebuild locks every projection row it may rewrite.
ALL_AGENTS = for_update("agents.all", sa.select(agents).order_by(agents.c.id))


class Difference(BaseModel):
    """One disagreement: what differs for which agent, per projection and per log."""

    model_config = ConfigDict(frozen=True)

    agent_id: str
    what: str
    projection: str | int | None
    log: str | int | None


class VerifyReport(BaseModel):
    """The outcome of ``verify_agents`` (or the state ``rebuild_agents`` repaired)."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    agents: int
    events: int
    differences: tuple[Difference, ...]


class Replayed(BaseModel):
    """An agent's state and version according to its log, and any illegal event found."""

    model_config = ConfigDict(frozen=True)

    state: str | None
    version: int
    problems: tuple[Difference, ...] = ()


def replay(machine: Machine, agent_id: str, events: Iterable[AgentEvent]) -> Replayed:
    """Fold an agent's events (ordered by seq) into its state and version."""
    state: str | None = None
    version, problems = 0, []
    for event in events:
        version += 1
        problem = _illegal(machine, event, state, version)
        if problem is not None:
            problems.append(
                Difference(
                    agent_id=agent_id, what=f"event {event.seq}", projection=None, log=problem
                )
            )
        state = event.to_state
    return Replayed(state=state, version=version, problems=tuple(problems))


def verify_agents(store: Store, machine: Machine) -> VerifyReport:
    """Replay every agent's log and compare it with the projection, after the store's
    integrity check (a damaged page the replay never reads is still damage)."""
    with store.unit(read_only=True) as unit:
        check_integrity(unit)
        projection, logs = _load(unit, ALL_AGENTS.sqlite)
    return _compare(machine, projection, logs)


def rebuild_agents(unit: Unit, machine: Machine) -> VerifyReport:
    """Rewrite each projection's state and version from its log; returns what was wrong.
    A damaged store is refused: what it reads back cannot be trusted to rebuild from."""
    check_integrity(unit)
    projection, logs = _load(unit, ALL_AGENTS.form(unit.dialect))
    report = _compare(machine, projection, logs)
    for agent in projection:
        events = logs.get(agent.id, [])
        result = replay(machine, agent.id, events)
        if events and (result.state, result.version) != (agent.state, agent.version):
            unit.execute(
                agents.update()
                .where(agents.c.id == agent.id)
                .values(state=result.state, version=result.version, updated_at=events[-1].at)
            )
    return report


def _load(unit: Unit, query: sa.Select[Any]) -> tuple[list[Agent], dict[str, list[AgentEvent]]]:
    projection = [Agent.from_row(row) for row in unit.execute(query).mappings()]
    logs: dict[str, list[AgentEvent]] = defaultdict(list)
    ordered = sa.select(agent_events).order_by(agent_events.c.agent_id, agent_events.c.seq)
    for row in unit.execute(ordered).mappings():
        logs[row["agent_id"]].append(AgentEvent.from_row(row))
    return projection, logs


def _compare(
    machine: Machine, projection: list[Agent], logs: dict[str, list[AgentEvent]]
) -> VerifyReport:
    differences: list[Difference] = []
    for agent in projection:
        result = replay(machine, agent.id, logs.get(agent.id, []))
        differences.extend(result.problems)
        for what in ("state", "version"):
            theirs, ours = getattr(result, what), getattr(agent, what)
            if theirs != ours:
                differences.append(
                    Difference(agent_id=agent.id, what=what, projection=ours, log=theirs)
                )
    events = sum(len(log) for log in logs.values())
    return VerifyReport(
        ok=not differences, agents=len(projection), events=events, differences=tuple(differences)
    )


def _illegal(machine: Machine, event: AgentEvent, state: str | None, seq: int) -> str | None:
    """Why ``event`` could not have happened after ``state``, or None if it could."""
    if event.seq != seq:
        return f"sequence number {event.seq} where {seq} was expected"
    if event.from_state != state:
        return f"from_state {event.from_state} but the log was in {state}"
    if state is None:
        return None if event.to_state == machine.initial else f"registered in {event.to_state}"
    if event.to_state == state:
        return None  # a change of the agent's data, not a move
    try:
        move = machine.transition(state, event.to_state)
    except SwarmopsError as exc:
        return exc.message
    kind = actor_kind(event.actor, event.agent_id)
    return None if move.allows(kind) else f"{move.name} taken by {event.actor!r} ({kind})"
