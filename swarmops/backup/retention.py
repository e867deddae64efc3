"""Retention: keep the last N backups and the newest of each of the last D days.

Days are UTC calendar days counted back from today (today is day 1). The newest
backup that passed verification is kept whatever the policy says, so pruning
never leaves a folder of failed backups only. ``plan_retention`` is pure (a test
feeds it dated fixtures); ``prune_backups`` deletes what the plan prunes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from swarmops.backup.manifest import Backup, list_backups


class RetentionPolicy(BaseModel):
    """How many backups stay: the last ``keep_last``, one a day for ``keep_daily`` days."""

    model_config = ConfigDict(frozen=True)

    keep_last: int
    keep_daily: int


class RetentionPlan(BaseModel):
    """Backup names kept and pruned, newest first."""

    model_config = ConfigDict(frozen=True)

    kept: tuple[str, ...]
    pruned: tuple[str, ...]

    def summary(self) -> str:
        return f"{len(self.kept)} kept, {len(self.pruned)} pruned"


def plan_retention(
    backups: Sequence[Backup], policy: RetentionPolicy, now: datetime
) -> RetentionPlan:
    """Which of ``backups`` the policy keeps at ``now``."""
    newest = sorted(backups, key=lambda b: (b.manifest.created_at, b.name), reverse=True)
    keep = {b.name for b in newest[: policy.keep_last]}
    today = now.astimezone(UTC).date()
    days: dict[date, str] = {}
    for backup in newest:
        day = backup.manifest.created_at.astimezone(UTC).date()
        if (today - day).days < policy.keep_daily:
            days.setdefault(day, backup.name)
    keep.update(days.values())
    keep.update(next(([b.name] for b in newest if b.verified()), []))
    return RetentionPlan(
        kept=tuple(b.name for b in newest if b.name in keep),
        pruned=tuple(b.name for b in newest if b.name not in keep),
    )


def prune_backups(
    directory: Path, policy: RetentionPolicy, now: datetime, *, dry_run: bool = False
) -> RetentionPlan:
    """Delete the backups the policy prunes (manifest first, so none is left half-listed)."""
    backups = list_backups(directory)
    plan = plan_retention(backups, policy, now)
    if not dry_run:
        pruned = set(plan.pruned)
        for backup in backups:
            if backup.name in pruned:
                for path in (backup.manifest_path, backup.data_path, backup.verification_path):
                    path.unlink(missing_ok=True)
    return plan
