"""Resource planning: open work against the spare capacity of agents who can do it.

Demand is the open (unassigned) contracts, grouped by the skill set they require;
supply for a skill set is the spare capacity (capacity minus contracts held) of
available agents that have every one of those skills. A skill set whose demand
exceeds its supply is short, and the plan recommends agents to add: of the role
whose agents already carry those skills, or new agents with the skills when
nobody has them. Skill sets share agents, so the verdict comes from a dry run of
``assign`` itself: capacity is sufficient when it would place every open contract.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.contracts.status import HELD, OPEN_STATUSES
from swarmops.coordination import Unassigned, assign
from swarmops.fsm import Machine
from swarmops.pipeline.report import bullet_list, markdown_table
from swarmops.settings import CoordinationSettings
from swarmops.store import Store, Unit
from swarmops.store.schema import agents, contracts

DRY_RUN_POLICY = CoordinationSettings.model_validate({})  # a dry run sends nothing


class SkillDemand(BaseModel):
    """Open contracts needing one skill set, and the spare capacity able to take them."""

    model_config = ConfigDict(frozen=True)

    skills: tuple[str, ...]
    contracts: tuple[str, ...]
    capable_agents: tuple[str, ...]
    spare_capacity: int

    @property
    def shortfall(self) -> int:
        return max(0, len(self.contracts) - self.spare_capacity)


class _Pool(BaseModel):
    """An agent as planning sees it."""

    model_config = ConfigDict(frozen=True)

    id: str
    role: str
    capacity: int
    skills: frozenset[str]
    held: int
    state: str
    available: bool  # in a state of the machine's ``takes_work`` role

    @property
    def spare(self) -> int:
        return max(0, self.capacity - self.held) if self.available else 0


class ResourcePlan(BaseModel):
    """Open work, spare capacity per skill set, and what to do about any shortfall."""

    model_config = ConfigDict(frozen=True)

    open_contracts: int
    available_agents: int
    unavailable_agents: int
    spare_capacity: int
    demand: tuple[SkillDemand, ...]
    unplaceable: tuple[Unassigned, ...]
    recommendations: tuple[str, ...]

    @property
    def sufficient(self) -> bool:
        """``assign`` would place every open contract now."""
        return not self.unplaceable

    def rows(self) -> list[dict[str, object]]:
        """One row per required skill set, for a table artifact."""
        return [
            {
                "skills": ", ".join(d.skills) or "(none)",
                "open_contracts": len(d.contracts),
                "capable_agents": len(d.capable_agents),
                "spare_capacity": d.spare_capacity,
                "shortfall": d.shortfall,
            }
            for d in self.demand
        ]

    def markdown(self) -> str:
        header = (
            f"**Resource plan**: {self.open_contracts} open contract(s); "
            f"{self.available_agents} available agent(s) with {self.spare_capacity} spare slot(s); "
            f"{self.unavailable_agents} agent(s) unavailable."
        )
        table = markdown_table(
            ("skills", "open", "capable agents", "spare", "shortfall"),
            [tuple(row.values()) for row in self.rows()],
        )
        unplaced = bullet_list(
            (f"{item.contract_id}: {item.reason}" for item in self.unplaceable), "every one placed"
        )
        parts = [header, table, "**A dry run of assign**", unplaced, "**Recommendation**"]
        return "\n\n".join([*parts, bullet_list(self.recommendations)])


def plan_resources(store: Store, machine: Machine) -> ResourcePlan:
    """Compare open contracts with the spare capacity of available, capable agents."""
    with store.unit(read_only=True) as unit:
        pool = _pool(unit, machine)
        open_work = unit.execute(
            sa.select(contracts.c.id, contracts.c.required_skills)
            .where(contracts.c.status.in_(OPEN_STATUSES), contracts.c.removed_at.is_(None))
            .order_by(contracts.c.id)
        ).all()
        unplaced = tuple(assign(unit, machine, DRY_RUN_POLICY, dry_run=True).unassigned)
    by_skills: dict[tuple[str, ...], list[str]] = {}
    for row in open_work:
        by_skills.setdefault(tuple(sorted(set(row.required_skills))), []).append(row.id)
    demand = tuple(_demand(skills, ids, pool) for skills, ids in sorted(by_skills.items()))
    return ResourcePlan(
        open_contracts=len(open_work),
        available_agents=sum(agent.available for agent in pool),
        unavailable_agents=sum(not agent.available for agent in pool),
        spare_capacity=sum(agent.spare for agent in pool),
        demand=demand,
        unplaceable=unplaced,
        recommendations=_recommend(demand, unplaced, pool, machine.role("takes_work")[0]),
    )


def _pool(unit: Unit, machine: Machine) -> list[_Pool]:
    held_query = (
        sa.select(contracts.c.owner, sa.func.count().label("held"))
        .where(contracts.c.status.in_(HELD), contracts.c.removed_at.is_(None))
        .group_by(contracts.c.owner)
    )
    held: dict[str, int] = {row.owner: row.held for row in unit.execute(held_query)}
    rows = unit.execute(sa.select(agents).order_by(agents.c.id)).mappings()
    return [
        _Pool(
            id=row["id"],
            role=row["role"],
            capacity=row["capacity"],
            skills=frozenset(row["skills"]),
            held=held.get(row["id"], 0),
            state=row["state"],
            available=row["state"] in machine.role("takes_work"),
        )
        for row in rows
    ]


def _demand(skills: tuple[str, ...], contract_ids: list[str], pool: list[_Pool]) -> SkillDemand:
    capable = [agent for agent in pool if agent.skills.issuperset(skills) and agent.spare > 0]
    return SkillDemand(
        skills=skills,
        contracts=tuple(contract_ids),
        capable_agents=tuple(agent.id for agent in capable),
        spare_capacity=sum(agent.spare for agent in capable),
    )


def _recommend(
    demand: Sequence[SkillDemand], unplaced: Sequence[Unassigned], pool: list[_Pool], ready: str
) -> tuple[str, ...]:
    advice = [_advice(item, pool, ready) for item in demand if item.shortfall]
    if unplaced and not advice:  # enough in total, but skill sets compete for the same agents
        ids = ", ".join(item.contract_id for item in unplaced)
        advice.append(f"{ids} cannot be placed alongside the rest: add an agent for them")
    return tuple(advice) or ("capacity sufficient",)


def _advice(item: SkillDemand, pool: list[_Pool], ready: str) -> str:
    """What to do about one short skill set; ``ready`` is a state that takes work."""
    skills = ", ".join(item.skills)
    skilled = [agent for agent in pool if agent.skills.issuperset(item.skills)]
    short = f"{item.shortfall} contract(s) needing [{skills}] lack capacity"
    if not skilled:
        return f"{short}: add {item.shortfall} agent(s) with skills [{skills}] (no agent has them)"
    role, _ = Counter(agent.role for agent in skilled).most_common(1)[0]
    per_agent = max(1, max(a.capacity for a in skilled if a.role == role))
    wanted = math.ceil(item.shortfall / per_agent)
    waiting = [f"{a.id} ({a.state})" for a in skilled if not a.available]
    also = f", or bring {', '.join(waiting)} to {ready}" if waiting else ""
    return f"{short}: add {wanted} agent(s) of role {role}{also}"
