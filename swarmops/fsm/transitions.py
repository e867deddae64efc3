"""Moving an agent: validate against the machine, then log and project in one transaction.

``transition_in`` and ``heartbeat_in`` work inside a caller's transaction so other
modules (failover, the deployment stage) can compose them with their own writes;
``transition_agent`` and ``heartbeat`` each run one transaction on a Store.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict, Unpack

import sqlalchemy as sa

from swarmops.errors import BadInput, Conflict, IllegalTransition, VersionConflict
from swarmops.fsm import driver
from swarmops.fsm.guards import AGENT_GUARDS, OPERATOR, actor_kind
from swarmops.fsm.machine import Machine, Transition
from swarmops.fsm.models import Agent, AgentEvent, TransitionResult
from swarmops.store import Store
from swarmops.store.schema import agents

MAX_ATTEMPTS = 8
OFFLINE, REJOINED = "OFFLINE", "IDLE"


class TransitionOptions(TypedDict, total=False):
    """Optional inputs of a transition (all keyword arguments)."""

    actor: str  # who asks: "system", the agent's own id, or any operator name (default)
    reason: str | None
    expect_version: int | None  # compare-and-set against this version, no retry
    key: str | None  # idempotency key: the same key again returns the first result


def transition_in(
    conn: sa.Connection,
    machine: Machine,
    agent_id: str,
    to_state: str,
    *,
    now: datetime,
    **options: Unpack[TransitionOptions],
) -> TransitionResult:
    """Transition inside the caller's transaction; raises instead of retrying."""
    key = options.get("key")
    replay = None if key is None else _replay(conn, key, agent_id, to_state)
    if replay is not None:
        return replay
    agent = driver.fetch_agent(conn, agent_id)
    machine.require_state(to_state)
    expected = options.get("expect_version")
    if expected is not None and expected != agent.version:
        raise VersionConflict(f"agent {agent_id!r} is at version {agent.version}, not {expected}")
    draft = _draft(agent, to_state, now, options)
    _check(conn, machine.transition(agent.state, to_state), agent, draft.actor)
    event = driver.append_event(conn, agent, draft)
    moved = agent.model_copy(update={"state": to_state, "version": event.seq, "updated_at": now})
    return TransitionResult(agent=moved, event=event, replayed=False)


def transition_agent(
    store: Store,
    machine: Machine,
    agent_id: str,
    to_state: str,
    **options: Unpack[TransitionOptions],
) -> TransitionResult:
    """Transition in its own transaction, retrying a lost compare-and-set a few times.

    With ``expect_version`` a lost compare-and-set is the caller's to handle
    (VersionConflict naming the current version); with ``key`` a concurrent use of
    the same key returns the winner's result.
    """
    attempt = 1
    while True:
        try:
            with store.write() as conn:
                return transition_in(conn, machine, agent_id, to_state, now=store.now(), **options)
        except Conflict:
            replay = _replay_after_race(store, options.get("key"), agent_id, to_state)
            if replay is not None:
                return replay
            if options.get("expect_version") is not None or attempt == MAX_ATTEMPTS:
                raise
            attempt += 1


def heartbeat_in(conn: sa.Connection, machine: Machine, agent_id: str, now: datetime) -> Agent:
    """Record a heartbeat; an OFFLINE agent's heartbeat is its rejoin (actor: the agent)."""
    agent = driver.fetch_agent(conn, agent_id)
    if agent.state == OFFLINE and REJOINED in machine.targets(OFFLINE):
        agent = transition_in(
            conn, machine, agent_id, REJOINED, now=now, actor=agent_id, reason="heartbeat"
        ).agent
    conn.execute(agents.update().where(agents.c.id == agent_id).values(heartbeat_at=now))
    return agent.model_copy(update={"heartbeat_at": now})


def heartbeat(store: Store, machine: Machine, agent_id: str) -> Agent:
    """Record a heartbeat in its own transaction."""
    with store.write() as conn:
        return heartbeat_in(conn, machine, agent_id, store.now())


def _draft(agent: Agent, to_state: str, now: datetime, options: TransitionOptions) -> AgentEvent:
    """The event this transition appends (its id is assigned by the insert)."""
    return AgentEvent(
        id=0,
        agent_id=agent.id,
        seq=agent.version + 1,
        from_state=agent.state,
        to_state=to_state,
        at=now,
        actor=options.get("actor") or OPERATOR,
        reason=options.get("reason"),
        key=options.get("key"),
    )


def _check(conn: sa.Connection, move: Transition, agent: Agent, actor: str) -> None:
    """Refuse the move if this actor may not take it or one of its guards fails."""
    kind = actor_kind(actor, agent.id)
    where = f"{agent.id}: {move.source} -> {move.target} ({move.name})"
    if not move.allows(kind):
        allowed = ", ".join(sorted(move.actors))
        raise IllegalTransition(f"{where} is reserved for {allowed}; {actor!r} acts as {kind}")
    for name in move.guards:
        if not AGENT_GUARDS[name](conn, agent.id):
            raise IllegalTransition(f"{where} refused: guard {name} does not hold")


def _replay(conn: sa.Connection, key: str, agent_id: str, to_state: str) -> TransitionResult | None:
    """The first result for ``key``, or None when the key is new."""
    event = driver.fetch_event_by_key(conn, key)
    if event is None:
        return None
    if (event.agent_id, event.to_state) != (agent_id, to_state):
        raise BadInput(
            f"idempotency key {key!r} was already used for {event.agent_id} -> {event.to_state}"
        )
    agent = driver.fetch_agent(conn, agent_id)
    then = agent.model_copy(
        update={"state": event.to_state, "version": event.seq, "updated_at": event.at}
    )
    return TransitionResult(agent=then, event=event, replayed=True)


def _replay_after_race(
    store: Store, key: str | None, agent_id: str, to_state: str
) -> TransitionResult | None:
    if key is None:
        return None
    with store.read() as conn:
        return _replay(conn, key, agent_id, to_state)
