"""Taking a backup: a consistent copy of the live store, its manifest, a log entry.

The copy is written under a temporary name and renamed when complete; the manifest
is written after it, atomically, so a failure at any point leaves no backup that
looks whole (and no temporary file). The copy is readable by its owner only: it is
the whole store, messages and token hashes included.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

from swarmops.backup.events import CREATED, record_event
from swarmops.backup.manifest import MANIFEST, Manifest, sha256_of, write_json
from swarmops.store import Store
from swarmops.store.copies import copy_format, take_copy


def create_backup(store: Store, directory: Path) -> Manifest:
    """Back ``store`` up into ``directory`` while writers go on, and log it there."""
    url = store.engine.url.render_as_string(hide_password=False)
    manifest = take_backup(url, directory, store.now())
    with store.unit() as unit:
        record_event(unit, manifest, CREATED)
    return manifest


def take_backup(url: str, directory: Path, taken_at: datetime) -> Manifest:
    """Copy the store at ``url`` into ``directory`` with its manifest (files only: the
    store's log is ``create_backup``'s; a store at any schema revision can be copied)."""
    import swarmops

    suffix = copy_format(url)[1]
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
            source=_shown(url),
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
    return manifest


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
