"""The calls the hooks make, shared by the gateway's routes and tools and by direct mode.

Each runs in the caller's unit for one agent and returns plain JSON-able data, so the
hooks (which import no pydantic) read the same answer from either door.
"""

from __future__ import annotations

from typing import Any

from swarmops.agent_sessions import mark_active, mark_started, mark_stopped
from swarmops.fsm import Agent, Machine, heartbeat
from swarmops.reservations.globs import normalise
from swarmops.reservations.models import Reservation
from swarmops.reservations.queries import held_by_others, live
from swarmops.store import Unit


def start_session(
    unit: Unit, machine: Machine, agent_id: str, tool: str | None, session_id: str | None
) -> dict[str, Any]:
    """Heartbeat and mark the session at work; back: the agent and what it holds."""
    agent, held = begin(unit, machine, agent_id, tool, session_id)
    return {
        "agent": agent.model_dump(mode="json"),
        "reservations": [one.model_dump(mode="json") for one in held],
    }


def begin(
    unit: Unit, machine: Machine, agent_id: str, tool: str | None, session_id: str | None
) -> tuple[Agent, list[Reservation]]:
    """A session starts: a heartbeat, the session marked started; the agent's leases."""
    agent = heartbeat(unit, machine, agent_id)
    mark_started(unit, agent_id, tool, session_id)
    return agent, live(unit, agent_id=agent_id)


def beat(unit: Unit, machine: Machine, agent_id: str) -> dict[str, Any]:
    """A tool use: heartbeat (which renews the agent's reservations), clear a stop."""
    return {"agent": touch(unit, machine, agent_id).model_dump(mode="json")}


def touch(unit: Unit, machine: Machine, agent_id: str) -> Agent:
    """A heartbeat that also says the session is at work (not stopped)."""
    agent = heartbeat(unit, machine, agent_id)
    mark_active(unit, agent_id)
    return agent


def stop_session(unit: Unit, agent_id: str) -> dict[str, Any]:
    """The agent's session stopped: idle, not dead."""
    mark_stopped(unit, agent_id)
    return {"agent_id": agent_id, "idle": True}


def check_paths(unit: Unit, agent_id: str, repository: str, paths: list[str]) -> dict[str, Any]:
    """Other agents' live reservations covering any of ``paths`` (repository-relative)."""
    clean = [normalise(path) for path in paths]
    conflicts = [
        {
            "path": one.pattern,
            "agent_id": one.held.agent_id,
            "pattern": one.held.pattern,
            "mode": one.held.mode,
            "expires_at": one.held.expires_at.isoformat(timespec="seconds"),
            "reservation_id": one.held.id,
        }
        for one in held_by_others(unit, repository, agent_id, clean)
    ]
    return {"conflicts": conflicts}
