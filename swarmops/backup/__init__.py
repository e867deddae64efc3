"""Backups proven by restoring them: create, verify, restore, retention.

A backup is a consistent online copy of the store (``swarmops.store.copies``: the
SQLite backup API or ``pg_dump``) with a manifest of its revision, row counts and
checksum. Verification restores it into a scratch store and replays both event
logs; restore fills an empty store and migrates it to the head; retention keeps
the last N and one a day for D days. No Prefect here: ``flows/backup.py`` and
``tasks/backup.py`` schedule and retry these functions.
"""

from __future__ import annotations

from swarmops.backup.create import create_backup, take_backup
from swarmops.backup.events import Freshness, freshness, record_event
from swarmops.backup.manifest import Backup, Manifest, list_backups, locate
from swarmops.backup.restore import Restored, restore_backup
from swarmops.backup.retention import RetentionPlan, RetentionPolicy, plan_retention, prune_backups
from swarmops.backup.verify import Difference, Verification, verify_backup

# How often the scheduled backup runs (prefect.yaml: hourly); twice this is stale.
SCHEDULE_S = 3600.0
STALE_AFTER_S = 2 * SCHEDULE_S

__all__ = [
    "SCHEDULE_S",
    "STALE_AFTER_S",
    "Backup",
    "Difference",
    "Freshness",
    "Manifest",
    "Restored",
    "RetentionPlan",
    "RetentionPolicy",
    "Verification",
    "create_backup",
    "freshness",
    "list_backups",
    "locate",
    "plan_retention",
    "prune_backups",
    "record_event",
    "restore_backup",
    "take_backup",
    "verify_backup",
]
