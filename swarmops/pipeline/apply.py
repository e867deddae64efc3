"""The deployment stage's one unit of work: make the store match the desired state.

Migrate, register or update agents, apply contracts, create queues, record the
compliance baseline and the applied revision — all in one unit, under the apply
lock (``Lock.APPLY``), so any failure leaves the store exactly as it was and two
deployments never interleave. The baseline file is written last inside that unit
and put back as it was when the unit does not commit. Applying a desired state
that is already in force changes nothing at all.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from swarmops.compliance import ScanReport
from swarmops.contracts import ApplyPlan, apply_contracts
from swarmops.fsm import RosterSummary, apply_roster, load_agent_machine
from swarmops.pipeline import codegate
from swarmops.pipeline.desired import DesiredState
from swarmops.pipeline.files import restoring
from swarmops.pipeline.gaps import analyse_gaps
from swarmops.pipeline.queues import create_queues, desired_queues
from swarmops.pipeline.report import bullet_list
from swarmops.pipeline.revisions import APPLIED, append_revision
from swarmops.store import Lock, Store, Unit
from swarmops.store.migrate import migrate


class ApplyResult(BaseModel):
    """What one apply changed (``changed`` False: the desired state was already in force)."""

    model_config = ConfigDict(frozen=True)

    revision: str
    changed: bool
    status: str = APPLIED
    migrated_from: str | None = None
    migrated_to: str | None = None
    agents: RosterSummary = RosterSummary()
    contracts: ApplyPlan = ApplyPlan()
    queues_created: tuple[str, ...] = ()
    baseline_run_id: int | None = None
    baseline_findings: int | None = None
    revision_row_id: int | None = None

    def changes(self) -> list[str]:
        """One line per change, for the report and the CLI."""
        if not self.changed:
            return []
        lines = []
        if self.migrated_from != self.migrated_to:
            lines.append(f"schema migrated {self.migrated_from or 'empty'} -> {self.migrated_to}")
        lines += [f"agent {i} registered" for i in self.agents.registered]
        lines += [f"agent {i} updated" for i in self.agents.updated]
        for what in ("added", "changed", "removed"):
            lines += [f"contract {i} {what}" for i in getattr(self.contracts, what)]
        lines += [f"queue {name} created" for name in self.queues_created]
        lines.append(f"compliance baseline recorded ({self.baseline_findings} findings)")
        lines.append(f"revision {self.revision[:12]} recorded as {self.status}")
        return lines

    def rows(self) -> list[dict[str, str]]:
        """The changes as a one-column table artifact."""
        return [{"change": line} for line in self.changes()]

    def markdown(self) -> str:
        if not self.changed:
            return f"**Deployment**: revision `{self.revision[:12]}` already in force; no change."
        head = f"**Deployment** of revision `{self.revision[:12]}` ({self.status}): changes"
        return head + "\n\n" + bullet_list(self.changes())


def apply_desired(store: Store, desired: DesiredState, actor: str) -> ApplyResult:
    """Make ``store`` match ``desired`` in one unit; a no-op when already in force (asked
    again under the apply lock: another deployment may have applied it meanwhile)."""
    unchanged = ApplyResult(revision=desired.revision, changed=False)
    if _in_force(store, desired):
        return unchanged
    report = codegate.scan_desired(desired)  # before the unit: never hold a lock for a scan
    with restoring(desired.baseline), store.unit() as unit:
        unit.lock(Lock.APPLY)
        if _in_force(store, desired):
            return unchanged
        result = apply_state(unit, desired, actor, report)
        codegate.write_baseline_file(desired.baseline, report)
    return result


def apply_state(
    unit: Unit, desired: DesiredState, actor: str, report: ScanReport, status: str = APPLIED
) -> ApplyResult:
    """Every store step of an apply inside ``unit``, which it holds the apply lock for."""
    unit.lock(Lock.APPLY)
    migration = migrate(unit)
    roster = apply_roster(unit, load_agent_machine(desired.fsm), desired.agents)
    plan = apply_contracts(unit, desired.contracts)
    created = create_queues(unit, desired_queues(desired.agents))
    run_id = codegate.record_baseline(unit, report)
    row = {"revision": desired.revision, "desired": desired.snapshot(), "status": status}
    row_id = append_revision(unit, {**row, "actor": actor, "applied_at": unit.now()})
    return ApplyResult(
        revision=desired.revision,
        changed=True,
        status=status,
        migrated_from=migration.before,
        migrated_to=migration.after,
        agents=roster,
        contracts=plan,
        queues_created=tuple(created),
        baseline_run_id=run_id,
        baseline_findings=len(report.findings),
        revision_row_id=row_id,
    )


def _in_force(store: Store, desired: DesiredState) -> bool:
    """The revision is recorded as applied and nothing it declares is missing or different."""
    return desired.baseline.is_file() and analyse_gaps(store, desired, scan=False).in_force
