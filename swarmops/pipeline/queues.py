"""The queues the desired roster implies: one per agent, one per role, and ``broadcast``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from swarmops.fsm import AgentSpec
from swarmops.store.schema import queues


def desired_queues(agents: Iterable[AgentSpec]) -> dict[str, str]:
    """Queue name -> kind (``direct``, ``role``, ``broadcast``), the names the bus uses."""
    roster = list(agents)
    names = {agent.id: "direct" for agent in roster}
    names.update({f"role:{agent.role}": "role" for agent in roster})
    names["broadcast"] = "broadcast"
    return dict(sorted(names.items()))


def existing_queues(conn: sa.Connection) -> set[str]:
    return set(conn.scalars(sa.select(queues.c.name)))


def create_queues(conn: sa.Connection, wanted: dict[str, str], now: datetime) -> list[str]:
    """Create the queues that do not exist yet; returns the names created."""
    missing = sorted(set(wanted) - existing_queues(conn))
    if missing:
        insert = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(queues)
        rows = [{"name": name, "kind": wanted[name], "created_at": now} for name in missing]
        conn.execute(insert.on_conflict_do_nothing(index_elements=["name"]), rows)
    return missing
