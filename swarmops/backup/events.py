"""The store's log of its backups: taken, verified, failed verification.

The backups are files; this log is what the metrics, the freshness alert and the
operations stage read, so they need no access to the backup folder. Rows are only
ever appended (the failure counter is a count of rows, so it never goes down).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.backup.manifest import Manifest
from swarmops.store import Store, Unit
from swarmops.store.schema import backup_events

CREATED, VERIFIED, VERIFY_FAILED = "created", "verified", "verify_failed"
NEWEST_VERIFIED = (
    sa.select(backup_events.c.backup, backup_events.c.taken_at)
    .where(backup_events.c.event == VERIFIED)
    .order_by(backup_events.c.taken_at.desc(), backup_events.c.id.desc())
    .limit(1)
)


class Freshness(BaseModel):
    """The newest verified backup and how old it is (None before the first one)."""

    model_config = ConfigDict(frozen=True)

    backup: str | None
    taken_at: datetime | None
    age_s: float | None


def record_event(unit: Unit, manifest: Manifest, event: str, detail: str | None = None) -> None:
    """Append one event of the backup ``manifest`` describes."""
    unit.execute(
        backup_events.insert().values(
            backup=manifest.name,
            event=event,
            taken_at=manifest.created_at,
            size_bytes=manifest.size_bytes,
            detail=detail,
            at=unit.now(),
        )
    )


def freshness(store: Store) -> Freshness:
    """How old the newest backup that passed verification is, on the store's clock."""
    with store.unit(read_only=True) as unit:
        row = unit.execute(NEWEST_VERIFIED).first()
        now = unit.now()
    if row is None:
        return Freshness(backup=None, taken_at=None, age_s=None)
    age = (now - row.taken_at).total_seconds()
    return Freshness(backup=row.backup, taken_at=row.taken_at, age_s=age)
