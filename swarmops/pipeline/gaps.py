"""Gap analysis for the assessment stage: desired config against the live store.

Read-only. It names what the deployment stage would change (agents and contracts
missing, drifted or extra; queues missing; schema migrations pending), which revision
is in force, and where the code stands against the compliance baseline, so a person
can read the plan before applying it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from swarmops.pipeline.codegate import ComplianceDelta, compliance_delta
from swarmops.pipeline.desired import DesiredState
from swarmops.pipeline.drift import SideBySide, compare_agents, compare_contracts
from swarmops.pipeline.queues import desired_queues, existing_queues
from swarmops.pipeline.report import markdown_table
from swarmops.pipeline.revisions import current_revision_id
from swarmops.store import Store
from swarmops.store.migrate import current_revision, pending_revisions


class GapReport(BaseModel):
    """What differs between the desired state and the store."""

    model_config = ConfigDict(frozen=True)

    revision: str
    applied_revision: str | None
    agents: SideBySide
    contracts: SideBySide
    missing_queues: tuple[str, ...]
    pending_migrations: tuple[str, ...]
    compliance: ComplianceDelta | None

    @property
    def in_sync(self) -> bool:
        """Nothing for the deployment stage to change in the store (it never removes an
        agent registered outside the roster, so extra agents do not count)."""
        agents_off = self.agents.missing or self.agents.drifted
        behind = self.missing_queues or self.pending_migrations
        return not (agents_off or behind) and self.contracts.in_sync

    @property
    def in_force(self) -> bool:
        """In sync, and the desired revision is the one recorded as applied."""
        return self.in_sync and self.applied_revision == self.revision

    def rows(self) -> list[dict[str, str]]:
        """One row per gap: kind, id, what is wrong."""
        rows = []
        extra = {"agent": "extra (kept: not in the roster)", "contract": "extra (to remove)"}
        for kind, sides in (("agent", self.agents), ("contract", self.contracts)):
            rows += [{"kind": kind, "id": i, "gap": "missing"} for i in sides.missing]
            rows += [
                {"kind": kind, "id": d.id, "gap": "drifted: " + ", ".join(d.fields)}
                for d in sides.drifted
            ]
            rows += [{"kind": kind, "id": i, "gap": extra[kind]} for i in sides.extra]
        rows += [{"kind": "queue", "id": q, "gap": "missing"} for q in self.missing_queues]
        rows += [{"kind": "migration", "id": r, "gap": "pending"} for r in self.pending_migrations]
        return rows

    def markdown(self) -> str:
        state = "in sync" if self.in_sync else f"{len(self.rows())} gap(s)"
        applied = f"`{self.applied_revision[:12]}`" if self.applied_revision else "none"
        parts = [
            f"**Gap analysis** against desired revision `{self.revision[:12]}` "
            f"(applied: {applied}): {state}."
        ]
        if self.rows():
            parts.append(markdown_table(("kind", "id", "gap"), [r.values() for r in self.rows()]))
        parts.append(self.compliance.markdown() if self.compliance else "_compliance not checked_")
        return "\n\n".join(parts)


def analyse_gaps(store: Store, desired: DesiredState, *, scan: bool = True) -> GapReport:
    """Compare ``desired`` with ``store``; ``scan=False`` skips the compliance scan."""
    return GapReport(
        revision=desired.revision,
        pending_migrations=tuple(pending_revisions(store)),
        compliance=compliance_delta(desired) if scan else None,
        **_live(store, desired),
    )


def _live(store: Store, desired: DesiredState) -> dict[str, Any]:
    """The store-side fields; an empty store has nothing, so everything is missing."""
    if current_revision(store) is None:
        return {
            "applied_revision": None,
            "agents": SideBySide(missing=tuple(agent.id for agent in desired.agents)),
            "contracts": SideBySide(missing=tuple(c.id for c in desired.contracts)),
            "missing_queues": tuple(desired_queues(desired.agents)),
        }
    with store.unit(read_only=True) as unit:
        return {
            "applied_revision": current_revision_id(unit),
            "agents": compare_agents(unit, desired.agents),
            "contracts": compare_contracts(unit, desired.contracts),
            "missing_queues": tuple(
                sorted(set(desired_queues(desired.agents)) - existing_queues(unit))
            ),
        }
