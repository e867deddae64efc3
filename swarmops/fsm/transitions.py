"""Moving an agent: validate against the machine, then log and project in the caller's unit.

A keyed transition takes its idempotency record (scope: the agent) before it reads
the agent, so concurrent retries of one key wait for the first and all return its
result. Callers that want a lost compare-and-set retried run the unit through
``swarmops.store.in_unit``.
"""

from __future__ import annotations

import time
from typing import Any, TypedDict, Unpack

from swarmops.errors import IllegalTransition, VersionConflict
from swarmops.fsm import driver
from swarmops.fsm.guards import AGENT_GUARDS, OPERATOR, actor_kind
from swarmops.fsm.machine import Machine, Transition
from swarmops.fsm.models import Agent, AgentEvent, TransitionResult
from swarmops.fsm.roles import offline_state, onboarding_state, rejoin_state
from swarmops.idempotency import Keyed, once, scope
from swarmops.store import Unit

OPERATION = "agent.transition"


class TransitionOptions(TypedDict, total=False):
    """Optional inputs of a transition (all keyword arguments)."""

    actor: str  # who asks: "system", the agent's own id, or any operator name (default)
    reason: str | None
    expect_version: int | None  # compare-and-set against this version: VersionConflict if not
    key: str | None  # idempotency key of the agent's: the same key again returns the first result


def transition(
    unit: Unit,
    machine: Machine,
    agent_id: str,
    to_state: str,
    **options: Unpack[TransitionOptions],
) -> TransitionResult:
    """Move ``agent_id`` to ``to_state`` inside ``unit``; raises instead of retrying."""
    started = time.perf_counter()
    key = options.get("key")
    keyed = None
    if key is not None:
        keyed = Keyed(scope("agent", agent_id), key, OPERATION, {"to": to_state})
    result = once(unit, keyed, lambda: _move(unit, machine, agent_id, to_state, options), _replayed)
    if unit.observer is not None:
        unit.observer.observe_transition(time.perf_counter() - started)
    return result


def heartbeat(unit: Unit, machine: Machine, agent_id: str) -> Agent:
    """Record a heartbeat; an offline agent's heartbeat is its rejoin (actor: the agent),
    to ``rejoin`` if it ever took work, else back to ``onboarding``: nobody onboarded it.

    Compare-and-set on the version read: run it through ``in_unit`` so a failover
    sweep committing in between makes it read again (and rejoin) instead of
    reporting a state the store no longer holds.
    """
    now = unit.now()
    agent = driver.fetch_agent(unit, agent_id)
    if agent.state == offline_state(machine):
        worked = driver.ever_in(unit, agent_id, machine.role("takes_work"))
        back = rejoin_state(machine) if worked else onboarding_state(machine)
        agent = transition(unit, machine, agent_id, back, actor=agent_id, reason="heartbeat").agent
    driver.touch_heartbeat(unit, agent, now)
    _renew_reservations(unit, agent_id)
    return agent.model_copy(update={"heartbeat_at": now})


def _renew_reservations(unit: Unit, agent_id: str) -> None:
    from swarmops.reservations import renew  # imported late: reservations import coordination

    renew(unit, agent_id)


def _move(
    unit: Unit, machine: Machine, agent_id: str, to_state: str, options: TransitionOptions
) -> TransitionResult:
    agent = driver.fetch_agent(unit, agent_id)
    subject = f"agent {agent_id!r}"
    machine.require_state(to_state, subject=subject)
    expected = options.get("expect_version")
    if expected is not None and expected != agent.version:
        raise VersionConflict(f"agent {agent_id!r} is at version {agent.version}, not {expected}")
    draft = _draft(agent, to_state, unit, options)
    _check(unit, machine.transition(agent.state, to_state, subject=subject), agent, draft.actor)
    event = driver.append_event(unit, agent, draft)
    moved = agent.model_copy(
        update={"state": to_state, "version": event.seq, "updated_at": draft.at}
    )
    return TransitionResult(agent=moved, event=event, replayed=False)


def _replayed(first: dict[str, Any]) -> TransitionResult:
    return TransitionResult.model_validate({**first, "replayed": True})


def _draft(agent: Agent, to_state: str, unit: Unit, options: TransitionOptions) -> AgentEvent:
    """The event this transition appends (its id is assigned by the insert)."""
    return AgentEvent(
        id=0,
        agent_id=agent.id,
        seq=agent.version + 1,
        from_state=agent.state,
        to_state=to_state,
        at=unit.now(),
        actor=options.get("actor") or OPERATOR,
        reason=options.get("reason"),
        key=options.get("key"),
    )


def _check(unit: Unit, move: Transition, agent: Agent, actor: str) -> None:
    """Refuse the move if this actor may not take it or one of its guards fails."""
    kind = actor_kind(actor, agent.id)
    where = f"{agent.id}: {move.source} -> {move.target} ({move.name})"
    if not move.allows(kind):
        allowed = ", ".join(sorted(move.actors))
        raise IllegalTransition(f"{where} is reserved for {allowed}; {actor!r} acts as {kind}")
    for name in move.guards:
        if not AGENT_GUARDS[name](unit, agent.id):
            raise IllegalTransition(f"{where} refused: guard {name} does not hold")
