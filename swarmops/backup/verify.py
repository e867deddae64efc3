"""Verifying a backup by restoring it: a backup that was never restored is a hope.

In order: the file's size and SHA-256 against the manifest (a damaged file goes no
further); the copy restored into a scratch store (removed afterwards, even on
failure); every table's row count and the schema revision against the manifest;
the copy migrated to the head, as a restore would; then both event logs replayed
against their projections (``agent verify`` and ``contract verify``). Each
disagreement is one named ``Difference``; the outcome is written beside the backup
and logged in the store.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from swarmops.backup.events import VERIFIED, VERIFY_FAILED, record_event
from swarmops.backup.manifest import Backup, sha256_of, write_json
from swarmops.contracts import verify_contracts
from swarmops.errors import StoreError
from swarmops.fsm import Machine, verify_agents
from swarmops.store import Store
from swarmops.store.copies import scratch_copy, store_census
from swarmops.store.migrate import ensure_schema

Value = str | int | None


class Difference(BaseModel):
    """One thing the backup does not agree with: what, expected and found (for an event
    log replay, expected is the projection and found what the log replays to)."""

    model_config = ConfigDict(frozen=True)

    what: str
    expected: Value
    found: Value

    def line(self) -> str:
        return f"{self.what}: expected {self.expected}, found {self.found}"


class Verification(BaseModel):
    """The outcome of one verification of one backup."""

    model_config = ConfigDict(frozen=True)

    backup: str
    ok: bool
    verified_at: datetime
    tables: int
    rows: int
    agents: str
    contracts: str
    differences: tuple[Difference, ...]

    def summary(self) -> str:
        if self.ok:
            return (
                f"backup {self.backup} verified: {self.tables} tables, {self.rows} rows, "
                f"checksum ok; {self.agents}; {self.contracts}"
            )
        named = "; ".join(d.line() for d in self.differences[:3])
        more = f" (and {len(self.differences) - 3} more)" if len(self.differences) > 3 else ""
        return f"backup {self.backup} failed verification: {named}{more}"


def verify_backup(store: Store, backup: Backup, machine: Machine) -> Verification:
    """Verify ``backup`` in a scratch store beside ``store`` (same database kind and
    server); write the outcome beside it and log it in ``store``."""
    differences = _file_differences(backup)
    replays = ("not replayed", "not replayed")
    if not differences:
        url = store.engine.url.render_as_string(hide_password=False)
        try:
            differences, replays = _restored_differences(backup, url, machine)
        except StoreError as exc:
            differences = [Difference(what="restore", expected="restores", found=exc.message)]
    manifest = backup.manifest
    verification = Verification(
        backup=backup.name,
        ok=not differences,
        verified_at=store.now(),
        tables=len(manifest.tables),
        rows=sum(manifest.tables.values()),
        agents=replays[0],
        contracts=replays[1],
        differences=tuple(differences),
    )
    write_json(backup.verification_path, verification)
    with store.unit() as unit:
        event = VERIFIED if verification.ok else VERIFY_FAILED
        record_event(unit, manifest, event, None if verification.ok else verification.summary())
    return verification


def _file_differences(backup: Backup) -> list[Difference]:
    manifest, path = backup.manifest, backup.data_path
    if not path.is_file():
        return [Difference(what="file", expected=manifest.file, found="missing")]
    size = path.stat().st_size
    if size != manifest.size_bytes:
        return [Difference(what="size", expected=manifest.size_bytes, found=size)]
    digest = sha256_of(path)
    if digest != manifest.sha256:
        return [Difference(what="checksum", expected=manifest.sha256, found=digest)]
    return []


def _restored_differences(
    backup: Backup, like: str, machine: Machine
) -> tuple[list[Difference], tuple[str, str]]:
    manifest = backup.manifest
    with scratch_copy(backup.data_path, manifest.census(), like) as scratch:
        found = store_census(scratch, manifest.format)
        differences = _census_differences(manifest.tables, found.tables)
        if found.revision != manifest.revision:
            differences.append(
                Difference(what="revision", expected=manifest.revision, found=found.revision)
            )
        ensure_schema(scratch)
        agents, contracts = verify_agents(scratch, machine), verify_contracts(scratch)
    differences += [
        Difference(what=f"agent {d.agent_id} {d.what}", expected=d.projection, found=d.log)
        for d in agents.differences
    ]
    differences += [
        Difference(what=f"contract {d.contract_id} {d.what}", expected=d.projection, found=d.log)
        for d in contracts.differences
    ]
    replays = (
        f"agent log replayed ({agents.agents} agents, {agents.events} events)",
        f"contract log replayed ({contracts.contracts} contracts, {contracts.events} events)",
    )
    return differences, replays


def _census_differences(expected: dict[str, int], found: dict[str, int]) -> list[Difference]:
    return [
        Difference(what=f"table {name} rows", expected=expected.get(name), found=found.get(name))
        for name in sorted(set(expected) | set(found))
        if expected.get(name) != found.get(name)
    ]
