"""Restoring a backup into an empty store, then migrating it to the head.

The file's checksum is checked first (a damaged backup is never restored); the
target must hold no tables unless ``force`` replaces them; a failed restore
leaves the target as it was. A backup taken at an older schema revision is
migrated to this swarmops' head afterwards, as ``swarmops init`` would.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from swarmops.backup.manifest import Backup, sha256_of
from swarmops.errors import CheckFailed
from swarmops.store import open_store
from swarmops.store.copies import restore_copy
from swarmops.store.migrate import ensure_schema


class Restored(BaseModel):
    """What a restore did: the backup, the target and the schema revisions."""

    model_config = ConfigDict(frozen=True)

    backup: str
    target: str
    revision: str | None
    migrated_to: str

    def summary(self) -> str:
        moved = f", migrated to {self.migrated_to}" if self.revision != self.migrated_to else ""
        return f"restored {self.backup} into {self.target} at revision {self.revision}{moved}"


def restore_backup(backup: Backup, url: str, *, force: bool = False) -> Restored:
    """Restore ``backup`` into the store at ``url`` and migrate it to the head."""
    path, manifest = backup.data_path, backup.manifest
    if not path.is_file() or sha256_of(path) != manifest.sha256:
        raise CheckFailed(
            f"backup {backup.name}: {path} is missing or does not match its manifest's "
            "checksum; not restored (run `swarmops backup verify` on it)"
        )
    restore_copy(path, manifest.census(), url, force=force)
    store = open_store(url, migrate=False)
    try:
        migrated = ensure_schema(store)
        target = store.url
    finally:
        store.dispose()
    return Restored(
        backup=backup.name, target=target, revision=manifest.revision, migrated_to=migrated.after
    )
