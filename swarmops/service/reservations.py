"""The agent's path reservations: reserve, release, list its own, check paths."""

from __future__ import annotations

from swarmops import reservations
from swarmops.errors import ReservationRefused
from swarmops.reservations import Reservation, ReserveRequest, ReserveResult
from swarmops.reservations.lifecycle import require_agent
from swarmops.reservations.service import check_paths
from swarmops.service.access import require_self, require_self_or_operator
from swarmops.service.context import Services
from swarmops.service.models import (
    PathConflicts,
    PathsBody,
    Refused,
    ReleaseBody,
    Released,
    ReserveBody,
)
from swarmops.store import Unit
from swarmops.tokens import Principal


def reserve(
    unit: Unit, env: Services, caller: Principal, agent_id: str, body: ReserveBody
) -> ReserveResult | Refused:
    """All of the patterns with the repository's next fencing token, or a refusal naming
    who holds what until when (its count of refusals commits)."""
    require_self(caller, agent_id)
    request = ReserveRequest(agent_id=agent_id, **body.model_dump())
    result = reservations.reserve(unit, request, env.policy)
    if not result.granted:
        return Refused(ReservationRefused(_refusal(result)))
    return result


def _refusal(result: ReserveResult) -> str:
    first, more = result.conflicts[0], len(result.conflicts) - 1
    also = f" (and {more} more)" if more else ""
    return f"reservation refused: {first.describe()}{also}"


def release(unit: Unit, caller: Principal, agent_id: str, body: ReleaseBody) -> Released:
    """End the agent's own reservations: the ids given, or all (in ``repository``)."""
    require_self(caller, agent_id)
    ended = reservations.release(unit, agent_id, ids=body.ids, repository=body.repository)
    return Released(reason=ended.reason, reservations=ended.reservations, count=ended.count)


def held(unit: Unit, caller: Principal, agent_id: str) -> list[Reservation]:
    """The agent's live reservations (the agent itself, or an operator)."""
    require_self_or_operator(caller, agent_id)
    require_agent(unit, agent_id)
    return reservations.live(unit, agent_id=agent_id)


def check(unit: Unit, caller: Principal, agent_id: str, body: PathsBody) -> PathConflicts:
    """Other agents' live reservations covering any of the paths: what an edit must not touch."""
    require_self(caller, agent_id)
    found = check_paths(unit, agent_id, body.repository, body.paths)
    return PathConflicts.model_validate(found)
