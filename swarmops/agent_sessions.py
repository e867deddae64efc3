"""What an agent's own session hooks last said: started (working) or stopped (idle).

An agent whose tool session stopped (Claude Code's Stop: the agent finished its turn
and waits for its user) is idle, not silent: it stops heartbeating because it has
nothing to do, not because it died. The failover sweep, the metrics and the
dashboard tell the two apart with ``idle_agents``: an agent is idle when its
session's ``stopped_at`` is at or after its last heartbeat.
"""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.store import Unit
from swarmops.store.schema import agent_sessions, agents
from swarmops.store.sql.named import plain

s = agent_sessions.c
_CLEAR_STOP = plain(
    "agent_sessions.clear_stop",
    "UPDATE agent_sessions SET stopped_at = NULL WHERE agent_id = {m} AND stopped_at IS NOT NULL",
)


def mark_started(unit: Unit, agent_id: str, tool: str | None, session_id: str | None) -> None:
    """The session is (again) at work: a start, or any tool use after a stop."""
    values = {"session_id": session_id, "tool": tool, "started_at": unit.now(), "stopped_at": None}
    _upsert(unit, agent_id, values)


def mark_active(unit: Unit, agent_id: str) -> None:
    """A tool use: clear a stop, keep the session's start (on every heartbeat: plain SQL)."""
    unit.raw(_CLEAR_STOP, (agent_id,))


def mark_stopped(unit: Unit, agent_id: str) -> None:
    now = unit.now()
    _upsert(unit, agent_id, {"stopped_at": now, "started_at": now}, keep_start=True)


def idle_agents(unit: Unit) -> set[str]:
    """Agents whose session stopped at or after their last heartbeat."""
    last = sa.func.coalesce(agents.c.heartbeat_at, agents.c.created_at)
    query = (
        sa.select(s.agent_id)
        .join(agents, agents.c.id == s.agent_id)
        .where(s.stopped_at.is_not(None), s.stopped_at >= last)
    )
    return set(unit.scalars(query))


def _upsert(unit: Unit, agent_id: str, values: dict, *, keep_start: bool = False) -> None:  # type: ignore[type-arg]
    changes = {k: v for k, v in values.items() if not (keep_start and k == "started_at")}
    updated = unit.execute(sa.update(agent_sessions).where(s.agent_id == agent_id).values(changes))
    if updated.rowcount == 0:  # the first session: a concurrent first one retries as update
        unit.execute(sa.insert(agent_sessions).values(agent_id=agent_id, **values))
