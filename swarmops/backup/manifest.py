"""A backup on disk: its data file, its manifest and, once verified, its verification.

``<name>.sqlite`` (or ``.pgdump``) is the copy; ``<name>.manifest.json`` says when it
was taken, from which store, at which schema revision, how many rows each table
held and the file's size and SHA-256; ``<name>.verify.json`` is the outcome of the
last verification. A backup exists when its manifest does: the manifest is
written last, atomically, so a half-written backup is never listed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from swarmops.config_file import problem
from swarmops.errors import BadInput, NotFound, first_line
from swarmops.store.census import Census

MANIFEST = ".manifest.json"
VERIFICATION = ".verify.json"
CHUNK = 1 << 20


class Manifest(BaseModel):
    """What a backup holds and how to check it."""

    model_config = ConfigDict(frozen=True)

    name: str
    file: str
    format: str
    created_at: datetime
    source: str
    schema_name: str | None
    revision: str | None
    tables: dict[str, int]
    size_bytes: int
    sha256: str
    swarmops_version: str

    def census(self) -> Census:
        """What the copy holds, as the store's copy functions take it."""
        return Census(
            format=self.format,
            revision=self.revision,
            schema_name=self.schema_name,
            tables=self.tables,
        )


@dataclass(frozen=True)
class Backup:
    """A backup in its folder: the manifest and where its files are."""

    directory: Path
    manifest: Manifest

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def data_path(self) -> Path:
        return self.directory / self.manifest.file

    @property
    def manifest_path(self) -> Path:
        return self.directory / f"{self.name}{MANIFEST}"

    @property
    def verification_path(self) -> Path:
        return self.directory / f"{self.name}{VERIFICATION}"

    def verified(self) -> bool:
        """Whether the last verification of this backup passed."""
        try:
            return bool(json.loads(self.verification_path.read_text(encoding="utf-8"))["ok"])
        except (OSError, ValueError, KeyError, TypeError):
            return False


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_json(path: Path, model: BaseModel) -> None:
    """Write ``model`` as JSON to ``path`` atomically (temp file, fsync, rename)."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(model.model_dump_json(indent=2) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def locate(reference: str | Path, directory: Path) -> Backup:
    """The backup ``reference`` names: its manifest, its data file, or its name in
    ``directory``. Unknown or unreadable is one BadInput line."""
    path = Path(reference)
    if path.name.endswith(MANIFEST):
        manifest = path
    elif path.suffix and path.exists():
        manifest = path.with_name(path.stem + MANIFEST)
    else:
        manifest = directory / f"{path.name}{MANIFEST}"
    if not manifest.is_file():
        raise NotFound(f"no backup {str(reference)!r}: no manifest at {manifest}")
    return Backup(manifest.parent, read_manifest(manifest))


def read_manifest(path: Path) -> Manifest:
    """A manifest file's content; unreadable or malformed is one BadInput line."""
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the manifest: {first_line(exc)}") from exc
    except ValidationError as exc:
        raise BadInput(f"{path}: not a backup manifest: {problem(exc)}") from exc


def list_backups(directory: Path) -> list[Backup]:
    """Every backup in ``directory``, oldest first (none when the folder is missing)."""
    if not directory.is_dir():
        return []
    found = [Backup(directory, read_manifest(p)) for p in directory.glob(f"*{MANIFEST}")]
    return sorted(found, key=lambda backup: (backup.manifest.created_at, backup.name))
