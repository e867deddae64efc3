"""What ``assign`` and ``failover`` did (or, with ``--dry-run``, would do)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from swarmops.coordination.planner import PlannedAssignment, Unassigned


class AssignmentReport(BaseModel):
    """The assignments made (with their fencing tokens) and the contracts left open."""

    model_config = ConfigDict(frozen=True)

    dry_run: bool
    assignments: list[PlannedAssignment]
    unassigned: list[Unassigned]

    @property
    def assigned(self) -> int:
        return len(self.assignments)


class OfflineAgent(BaseModel):
    """An agent failed over: when it was last heard of, and what was taken from it."""

    model_config = ConfigDict(frozen=True)

    agent_id: str
    from_state: str
    heartbeat_at: datetime | None
    released_messages: int
    released_contracts: list[str]


class FailoverReport(BaseModel):
    """One failover sweep: agents taken offline, their work reassigned, alerts changed."""

    model_config = ConfigDict(frozen=True)

    dry_run: bool
    offline: list[OfflineAgent]
    reassignment: AssignmentReport
    alerts_raised: int
    alerts_resolved: int
    dead_lettered: int = 0
    idle: list[str] = Field(default_factory=list)  # silent, but their session stopped: not dead

    @property
    def failovers(self) -> int:
        return len(self.offline)

    def as_dry_run(self) -> FailoverReport:
        """This sweep's report as a rehearsal's (it and its reassignment marked dry runs)."""
        planned = self.reassignment.model_copy(update={"dry_run": True})
        return self.model_copy(update={"dry_run": True, "reassignment": planned})
