"""The agent rows a transition reads and writes, on the unit's driver hot path.

See ``swarmops.store.sql.agents`` for why these statements bypass Core; values
are converted by the unit's codec exactly as the Core column types would.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from swarmops.errors import NotFound, VersionConflict
from swarmops.fsm.models import Agent, AgentEvent
from swarmops.store import Unit
from swarmops.store.schema import agent_events
from swarmops.store.sql.agents import COMPARE_AND_SET, INSERT_EVENT, SELECT_AGENT, TOUCH_HEARTBEAT


def fetch_agent(unit: Unit, agent_id: str) -> Agent:
    """The agent's projection row, or NotFound."""
    row = unit.raw(SELECT_AGENT, (agent_id,)).fetchone()
    if row is None:
        raise NotFound(f"unknown agent {agent_id!r}")
    codec, beat = unit.codec, row[6]
    return Agent(
        id=row[0],
        role=row[1],
        state=row[2],
        version=row[3],
        capacity=row[4],
        skills=tuple(codec.decode_json(row[5])),
        heartbeat_at=None if beat is None else codec.decode_time(beat),
        updated_at=codec.decode_time(row[7]),
    )


def append_event(unit: Unit, agent: Agent, event: AgentEvent) -> AgentEvent:
    """Move the projection to ``event.to_state`` by compare-and-set, then log the event.

    The UPDATE comes first: it takes the row lock, so a concurrent writer that read
    the same version matches no row and gets a VersionConflict (naming the current
    version) instead of a duplicate sequence number.
    """
    at = unit.codec.encode_time(event.at)
    moved = (event.to_state, event.seq, at, agent.id, agent.version)
    if unit.raw(COMPARE_AND_SET, moved).rowcount != 1:
        now = fetch_agent(unit, agent.id).version
        raise VersionConflict(f"agent {agent.id!r} changed concurrently: now at version {now}")
    values = (agent.id, event.seq, agent.state, event.to_state, at)
    logged = (*values, event.actor, event.reason, event.key)
    event_id = unit.raw(INSERT_EVENT, logged).fetchone()[0]
    return event.model_copy(update={"id": event_id})


def ever_in(unit: Unit, agent_id: str, states: Iterable[str]) -> bool:
    """Whether the agent's log ever moved it into one of ``states``."""
    reached = sa.select(agent_events.c.id).where(
        agent_events.c.agent_id == agent_id, agent_events.c.to_state.in_(list(states))
    )
    return unit.execute(reached.limit(1)).first() is not None


def touch_heartbeat(unit: Unit, agent: Agent, at: datetime) -> None:
    """Stamp the heartbeat if the agent is still at the version read (else VersionConflict,
    so the caller's retry reads the state a concurrent writer committed)."""
    if (
        unit.raw(TOUCH_HEARTBEAT, (unit.codec.encode_time(at), agent.id, agent.version)).rowcount
        != 1
    ):
        raise VersionConflict(f"agent {agent.id!r} changed concurrently during its heartbeat")
