"""``rollback``: re-apply the revision that was in force before the current one.

See ``revisions`` for the history semantics: the current ``applied`` row becomes
``rolled_back`` and the previous revision is applied again and recorded as a new
``restored`` row, all in one unit of work under the apply lock like any apply.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from swarmops.errors import Conflict, NotFound, StoreError
from swarmops.pipeline import codegate
from swarmops.pipeline.apply import ApplyResult, apply_state
from swarmops.pipeline.desired import DesiredState
from swarmops.pipeline.files import restoring
from swarmops.pipeline.revisions import RESTORED, RevisionRecord, applied_stack, mark_rolled_back
from swarmops.store import Lock, Store, Unit


class RollbackResult(BaseModel):
    """Which revision was undone, which one is in force again, and what that changed."""

    model_config = ConfigDict(frozen=True)

    rolled_back: str
    rolled_back_row: int
    restored: str
    restored_from_row: int
    apply: ApplyResult

    def rows(self) -> list[dict[str, str]]:
        return self.apply.rows()

    def markdown(self) -> str:
        head = (
            f"**Rollback**: revision `{self.rolled_back[:12]}` (row {self.rolled_back_row}) "
            f"rolled back; `{self.restored[:12]}` (from row {self.restored_from_row}) restored."
        )
        return head + "\n\n" + self.apply.markdown()


def rollback(store: Store, actor: str) -> RollbackResult:
    """Undo the current revision by re-applying the previous one; NotFound when there is none."""
    with store.unit(read_only=True) as unit:
        current, previous = _last_two(unit)
    desired = _recorded(previous)
    report = codegate.scan_desired(desired)  # before the unit: never hold a lock for a scan
    with restoring(desired.baseline), store.unit() as unit:
        unit.lock(Lock.APPLY)
        if _last_two(unit) != (current, previous):
            raise Conflict("the applied revisions changed while rolling back; try again")
        mark_rolled_back(unit, current)
        applied = apply_state(unit, desired, actor, report, RESTORED)
        codegate.write_baseline_file(desired.baseline, report)
    return RollbackResult(
        rolled_back=current.revision,
        rolled_back_row=current.id,
        restored=previous.revision,
        restored_from_row=previous.id,
        apply=applied,
    )


def _last_two(unit: Unit) -> tuple[RevisionRecord, RevisionRecord]:
    stack = applied_stack(unit, limit=2)
    if len(stack) < 2:
        what = "no revision has been applied" if not stack else "only one revision is applied"
        raise NotFound(f"nothing to roll back to: {what}")
    return stack[0], stack[1]


def _recorded(record: RevisionRecord) -> DesiredState:
    desired = DesiredState.from_snapshot(record.desired)
    if desired.revision != record.revision:
        raise StoreError(
            f"applied revision row {record.id}: its snapshot does not hash to {record.revision}"
        )
    return desired
