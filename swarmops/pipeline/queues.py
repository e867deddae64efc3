"""The queues the desired roster implies: one per agent, one per role, and ``broadcast``."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from swarmops.fsm import AgentSpec
from swarmops.store import Unit
from swarmops.store.schema import queues
from swarmops.store.sql.messages import ENSURE_QUEUE


def desired_queues(agents: Iterable[AgentSpec]) -> dict[str, str]:
    """Queue name -> kind (``direct``, ``role``, ``broadcast``), the names the bus uses."""
    roster = list(agents)
    names = {agent.id: "direct" for agent in roster}
    names.update({f"role:{agent.role}": "role" for agent in roster})
    names["broadcast"] = "broadcast"
    return dict(sorted(names.items()))


def existing_queues(unit: Unit) -> set[str]:
    return set(unit.scalars(sa.select(queues.c.name)))


def create_queues(unit: Unit, wanted: dict[str, str]) -> list[str]:
    """Create the queues that do not exist yet; returns the names created."""
    missing = sorted(set(wanted) - existing_queues(unit))
    if missing:
        now = unit.now()
        unit.run(
            ENSURE_QUEUE,
            [{"name": name, "kind": wanted[name], "created_at": now} for name in missing],
        )
    return missing
