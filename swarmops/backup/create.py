"""Taking a backup: a consistent copy of the live store, its manifest, a log entry.

The copy is written under a temporary name and renamed when complete; the manifest
is written after it, atomically, so a failure at any point leaves no backup that
looks whole (and no temporary file). The copy is readable by its owner only: it is
the whole store, messages and token hashes included.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from swarmops.backup.events import CREATED, record_event
from swarmops.backup.manifest import MANIFEST, Manifest, sha256_of, write_json
from swarmops.store import Store
from swarmops.store.copies import copy_format, take_copy


def create_backup(store: Store, directory: Path) -> Manifest:
    """Back ``store`` up into ``directory`` while writers go on; the new manifest."""
    import swarmops

    url = store.engine.url.render_as_string(hide_password=False)
    suffix = copy_format(url)[1]
    taken_at = store.now()
    name = f"swarmops-{taken_at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    directory.mkdir(parents=True, exist_ok=True)
    temp, data = directory / f".{name}{suffix}.tmp", directory / f"{name}{suffix}"
    try:
        held = take_copy(url, temp)
        temp.chmod(0o600)  # the whole store: messages, findings, token hashes
        manifest = Manifest(
            name=name,
            file=data.name,
            created_at=taken_at,
            source=store.url,
            size_bytes=temp.stat().st_size,
            sha256=sha256_of(temp),
            swarmops_version=swarmops.__version__,
            **held.model_dump(),
        )
        temp.replace(data)
        write_json(directory / f"{name}{MANIFEST}", manifest)
    except BaseException:
        temp.unlink(missing_ok=True)
        data.unlink(missing_ok=True)
        raise
    with store.unit() as unit:
        record_event(unit, manifest, CREATED)
    return manifest
