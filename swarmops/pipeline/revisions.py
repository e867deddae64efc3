"""The applied-revision history that deployment appends to and ``rollback`` walks back.

Semantics: the rows with status ``applied`` form a stack, newest on top, and the
top is the revision in force. ``rollback`` pops it — its row becomes
``rolled_back`` — re-applies the snapshot of the row now on top, and appends an
audit row with status ``restored`` for that revision. A second rollback pops
again, so repeated rollbacks walk back through history like an undo, until no
earlier applied revision remains (then it refuses with exit 2).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.errors import Conflict
from swarmops.store import Unit
from swarmops.store.schema import applied_revisions

APPLIED, ROLLED_BACK, RESTORED = "applied", "rolled_back", "restored"


class RevisionRecord(BaseModel):
    """One row of ``applied_revisions``."""

    model_config = ConfigDict(frozen=True)

    id: int
    revision: str
    status: str
    actor: str
    applied_at: datetime
    desired: dict[str, Any]

    @classmethod
    def from_row(cls, row: Any) -> RevisionRecord:
        return cls.model_validate(dict(row._mapping))


def applied_stack(unit: Unit, limit: int = 2) -> list[RevisionRecord]:
    """The newest ``limit`` revisions still in force or restorable, newest first."""
    query = (
        sa.select(applied_revisions)
        .where(applied_revisions.c.status == APPLIED)
        .order_by(applied_revisions.c.id.desc())
        .limit(limit)
    )
    return [RevisionRecord.from_row(row) for row in unit.execute(query)]


def current_revision_id(unit: Unit) -> str | None:
    """The content revision in force, or None before the first apply."""
    stack = applied_stack(unit, limit=1)
    return stack[0].revision if stack else None


def append_revision(unit: Unit, row: dict[str, Any]) -> int:
    """Append one history row (revision, desired, status, actor, applied_at)."""
    insert = applied_revisions.insert().values(**row).returning(applied_revisions.c.id)
    return int(unit.execute(insert).scalar_one())


def mark_rolled_back(unit: Unit, record: RevisionRecord) -> None:
    """Take ``record`` off the stack; a concurrent rollback that got there first fails loudly."""
    changed = unit.execute(
        applied_revisions.update()
        .where(applied_revisions.c.id == record.id, applied_revisions.c.status == APPLIED)
        .values(status=ROLLED_BACK)
    ).rowcount
    if changed != 1:
        raise Conflict(f"revision row {record.id} was rolled back concurrently")
