"""Reading agents and their logs; the DataFrame snapshot is for the flows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from swarmops.fsm import driver
from swarmops.fsm.models import Agent, AgentEvent
from swarmops.store import Store
from swarmops.store.schema import agent_events, agents

if TYPE_CHECKING:
    import pandas as pd

SNAPSHOT_COLUMNS = list(Agent.model_fields)


def get_agent(store: Store, agent_id: str) -> Agent:
    """One agent, or NotFound."""
    with store.unit(read_only=True) as unit:
        return driver.fetch_agent(unit, agent_id)


def list_agents(store: Store, *, state: str | None = None) -> list[Agent]:
    """Every agent (optionally only those in ``state``), ordered by id."""
    query = sa.select(agents).order_by(agents.c.id)
    if state is not None:
        query = query.where(agents.c.state == state)
    with store.unit(read_only=True) as unit:
        return [Agent.from_row(row) for row in unit.execute(query).mappings()]


def agent_history(store: Store, agent_id: str) -> list[AgentEvent]:
    """The agent's events, oldest first (the registration is the first); NotFound if unknown."""
    query = (
        sa.select(agent_events)
        .where(agent_events.c.agent_id == agent_id)
        .order_by(agent_events.c.seq)
    )
    with store.unit(read_only=True) as unit:
        driver.fetch_agent(unit, agent_id)
        return [AgentEvent.from_row(row) for row in unit.execute(query).mappings()]


def snapshot(store: Store) -> pd.DataFrame:
    """Every agent as one row of a DataFrame (columns as in Agent; skills as lists)."""
    import pandas as pd

    rows = [agent.model_dump() for agent in list_agents(store)]
    frame = pd.DataFrame(rows, columns=SNAPSHOT_COLUMNS)
    frame["skills"] = frame["skills"].map(list)
    return frame
