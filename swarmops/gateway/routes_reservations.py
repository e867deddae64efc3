# swarmops: allow[functions-per-file] one handler per route of the reservation API, each a one-line call into the service
"""REST routes of an agent's path reservations and its session's end, under
``/v1/agents/{agent_id}``: thin over the service (the hooks call these)."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter

from swarmops.gateway.auth import CallDep
from swarmops.gateway.paths import AgentId
from swarmops.gateway.problems import responses
from swarmops.reservations import Reservation, ReserveResult
from swarmops.service import agents, reservations
from swarmops.service.models import (
    PathConflicts,
    PathsBody,
    ReleaseBody,
    Released,
    ReserveBody,
    SessionStopped,
)

router = APIRouter(
    prefix="/v1/agents/{agent_id}",
    tags=["reservations"],
    responses=responses(400, 401, 403, 404, 409, 422, 503),
)


@router.post("/reservations")
async def reserve_paths(call: CallDep, agent_id: AgentId, body: ReserveBody) -> ReserveResult:
    """Reserve paths or globs of a repository for a lease, all or none: the grant carries
    the fencing token; a conflict is a 409 naming who holds what until when."""
    step = partial(reservations.reserve, env=call.services, agent_id=agent_id, body=body)
    return await call.write(step)


@router.post("/reservations/release")
async def release_paths(call: CallDep, agent_id: AgentId, body: ReleaseBody) -> Released:
    """End the agent's reservations: the ids given, or all of them (in ``repository``)."""
    return await call.write(partial(reservations.release, agent_id=agent_id, body=body))


@router.get("/reservations")
async def list_reservations(call: CallDep, agent_id: AgentId) -> list[Reservation]:
    """The agent's live reservations with their tokens and expiries."""
    return await call.read(partial(reservations.held, agent_id=agent_id))


@router.post("/reservations/check")
async def check_paths(call: CallDep, agent_id: AgentId, body: PathsBody) -> PathConflicts:
    """Other agents' live reservations covering any of these paths (before an edit)."""
    return await call.read(partial(reservations.check, agent_id=agent_id, body=body))


@router.post("/session/stop")
async def stop_session(call: CallDep, agent_id: AgentId) -> SessionStopped:
    """The agent's session ended: it is idle, not dead, until its next session starts."""
    return await call.write(partial(agents.stop_session, agent_id=agent_id))
