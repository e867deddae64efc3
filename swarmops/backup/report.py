"""Backups as a person reads them in a Markdown report: the manifest and the verification."""

from __future__ import annotations

from swarmops.backup.manifest import Manifest
from swarmops.backup.verify import Verification


def manifest_markdown(manifest: Manifest) -> str:
    """The manifest: where, when, what revision, and the rows of every table."""
    rows = "\n".join(f"| {name} | {count:,} |" for name, count in manifest.tables.items())
    return (
        f"**Backup** `{manifest.name}` ({manifest.format}, {manifest.size_bytes:,} bytes) of "
        f"`{manifest.source}` at {manifest.created_at:%Y-%m-%d %H:%M:%S} UTC, schema revision "
        f"{manifest.revision}, SHA-256 `{manifest.sha256}`.\n\n| table | rows |\n|---|---:|\n"
        f"{rows}"
    )


def verification_markdown(verification: Verification) -> str:
    """The verification: passed with what it replayed, or every difference named."""
    if verification.ok:
        return f"**Verification** passed: {verification.summary()}."
    rows = "\n".join(f"| {d.what} | {d.expected} | {d.found} |" for d in verification.differences)
    return (
        f"**Verification FAILED** for `{verification.backup}`.\n\n"
        f"| what | expected | found |\n|---|---|---|\n{rows}"
    )
