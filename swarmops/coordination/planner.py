"""Work assignment as a pure function: open contracts and agent slots in, a plan out.

Contracts are taken most urgent first (priority, then due date, then id); each goes
to the least-loaded capable agent (load over capacity, then load, then id) that has
every required skill and a free slot. The same input always gives the same plan.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

PRIORITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}
MESSAGE_PRIORITY = {"critical": 9, "high": 7, "medium": 5, "low": 3}


class AgentSlot(BaseModel):
    """An agent that may take work: its skills, capacity and current load."""

    model_config = ConfigDict(frozen=True)

    id: str
    skills: frozenset[str]
    capacity: int
    load: int


class OpenWork(BaseModel):
    """An OPEN contract waiting for an owner."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    priority: str
    due: datetime | None
    required_skills: frozenset[str]

    def urgency(self) -> tuple[int, bool, datetime | None, str]:
        rank = PRIORITY_RANK.get(self.priority, len(PRIORITY_RANK))
        return (rank, self.due is None, self.due, self.id)


class PlannedAssignment(BaseModel):
    """One contract to one agent; ``token`` is the fencing token once applied."""

    model_config = ConfigDict(frozen=True)

    contract_id: str
    agent_id: str
    priority: str
    due: datetime | None
    agent_load: int
    agent_capacity: int
    reason: str = "assign"
    token: int | None = None


class Unassigned(BaseModel):
    """An open contract no agent can take now, and why."""

    model_config = ConfigDict(frozen=True)

    contract_id: str
    reason: str


def plan_assignments(
    work: list[OpenWork], slots: list[AgentSlot]
) -> tuple[list[PlannedAssignment], list[Unassigned]]:
    """Assign the most urgent contracts first, each to the least-loaded capable agent."""
    load = {slot.id: slot.load for slot in slots}
    planned: list[PlannedAssignment] = []
    unassigned: list[Unassigned] = []
    for contract in sorted(work, key=OpenWork.urgency):
        capable = [s for s in slots if contract.required_skills <= s.skills]
        free = [s for s in capable if load[s.id] < s.capacity]
        if not free:
            why = "no available agent has the skills" if not capable else "capable agents are full"
            unassigned.append(Unassigned(contract_id=contract.id, reason=why))
            continue
        best = min(free, key=lambda s: (load[s.id] / s.capacity, load[s.id], s.id))
        planned.append(
            PlannedAssignment(
                contract_id=contract.id,
                agent_id=best.id,
                priority=contract.priority,
                due=contract.due,
                agent_load=load[best.id],
                agent_capacity=best.capacity,
            )
        )
        load[best.id] += 1
    return planned, unassigned
