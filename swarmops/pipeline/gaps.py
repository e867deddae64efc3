"""Gap analysis for the assessment stage: desired config against the live store.

Read-only. It names what the deployment stage would change (a store never
initialised or its PostgreSQL schema missing; schema migrations pending; agents and
contracts missing, drifted or extra; queues missing), which revision is in force,
and where the code stands against the compliance baseline, so a person can read the
plan before applying it. A never-initialised store is a gap like any other, never
an error: everything the desired state declares is then missing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import BaseModel, ConfigDict

from swarmops.pipeline.codegate import ComplianceDelta, compliance_delta
from swarmops.pipeline.desired import DesiredState
from swarmops.pipeline.drift import SideBySide, compare_agents, compare_contracts
from swarmops.pipeline.probing import store_state
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
    store: str = "ready"

    @property
    def in_sync(self) -> bool:
        """Nothing for the deployment stage to change in the store (it never removes an
        agent registered outside the roster, so extra agents do not count)."""
        agents_off = self.agents.missing or self.agents.drifted
        behind = self.missing_queues or self.pending_migrations or self.store != "ready"
        return not (agents_off or behind) and self.contracts.in_sync

    @property
    def in_force(self) -> bool:
        """In sync, and the desired revision is the one recorded as applied."""
        return self.in_sync and self.applied_revision == self.revision

    def rows(self) -> list[dict[str, str]]:
        """One row per gap: kind, id, what is wrong."""
        rows = (
            [] if self.store == "ready" else [{"kind": "store", "id": "store", "gap": self.store}]
        )
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

    def summary(self) -> str:
        """``in sync``, or how many gaps of each kind, e.g. ``17 gap(s): 17 queue missing``."""
        if self.in_sync:
            return "in sync"
        counts = Counter(f"{row['kind']} {row['gap'].split(':')[0]}" for row in self.rows())
        kinds = ", ".join(f"{n} {what}" for what, n in counts.items())
        return f"{sum(counts.values())} gap(s) for the deployment stage: {kinds}"

    def markdown(self) -> str:
        state = self.summary()
        applied = f"`{self.applied_revision[:12]}`" if self.applied_revision else "none"
        parts = [
            f"**Gap analysis** against desired revision `{self.revision[:12]}` "
            f"(applied: {applied}): {state}."
        ]
        if self.rows():
            parts.append(markdown_table(("kind", "id", "gap"), [r.values() for r in self.rows()]))
        parts.append(self.compliance.markdown() if self.compliance else "_compliance not checked_")
        return "\n\n".join(parts)


_STORE_GAPS = {"ready": "ready", "empty": "never initialised: the deployment stage creates it"}


def analyse_gaps(store: Store, desired: DesiredState, *, scan: bool = True) -> GapReport:
    """Compare ``desired`` with ``store``; ``scan=False`` skips the compliance scan."""
    state = store_state(store)
    return GapReport(
        revision=desired.revision,
        store=_STORE_GAPS.get(state, f"{state}: the deployment stage creates it"),
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
