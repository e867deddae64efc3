"""``swarmops backup``: create, verify, restore and prune backups of the store.

A file the command cannot read or write is one error line (exit 1); bad input
(an unknown backup, a non-empty target, a missing ``pg_dump``) exits 2; a backup
that fails verification prints what differs and exits 1. JSON shapes: the
Manifest, the Verification, the Restored result, the RetentionPlan.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_line, emit_table
from swarmops.errors import CheckFailed, ConfigError, SwarmopsError

if TYPE_CHECKING:
    from swarmops.backup import Manifest

backup_app = typer.Typer(
    help="Backups proven by restoring them: create, verify, restore, prune, list.",
    no_args_is_help=True,
)

FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
BackupArgument = Annotated[
    str,
    typer.Argument(
        metavar="BACKUP", help="A backup's name (in backup.directory), manifest or data file."
    ),
]


@contextmanager
def _file_errors() -> Iterator[None]:
    """A backup file or folder that cannot be read or written: one line, exit 1."""
    try:
        yield
    except OSError as exc:
        raise SwarmopsError(f"{exc.filename or 'backup'}: {exc.strerror or exc}") from exc


@backup_app.command()
def create(
    ctx: typer.Context,
    to: Annotated[
        Path | None, typer.Option("--to", help="Folder for the backup (default: backup.directory).")
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Take a consistent online copy of the store with its manifest."""
    from swarmops.backup import create_backup

    context = cli_context(ctx)
    with _file_errors():
        manifest = create_backup(context.store(), to or context.settings.backup.directory)
    if fmt is Format.json:
        emit_json(manifest)
    else:
        emit_line(_described(manifest, to or context.settings.backup.directory))


@backup_app.command()
def verify(ctx: typer.Context, backup: BackupArgument, fmt: FormatOption = Format.table) -> None:
    """Restore into a scratch store, check counts and checksum, replay both event logs;
    exit 1 naming what differs."""
    from swarmops.backup import locate, verify_backup
    from swarmops.fsm import load_agent_machine

    context = cli_context(ctx)
    machine = load_agent_machine(context.settings.fsm)
    with _file_errors():
        found = locate(backup, context.settings.backup.directory)
        verification = verify_backup(context.store(), found, machine)
    if fmt is Format.json:
        emit_json(verification)
    elif verification.ok:
        emit_line(verification.summary())
    else:
        rows = [(d.what, d.expected, d.found) for d in verification.differences]
        emit_table("differences", ("what", "expected", "found"), rows)
    if not verification.ok:
        raise CheckFailed(verification.summary())


@backup_app.command()
def restore(
    ctx: typer.Context,
    backup: BackupArgument,
    store_url: Annotated[
        str, typer.Option("--store-url", help="The store to restore into (must be empty).")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace the target's content if it has any.")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Restore a backup into an empty store, then migrate it to the head."""
    from swarmops.backup import locate, restore_backup
    from swarmops.settings import normalise_store_url

    try:
        target = normalise_store_url(store_url)
    except ValueError as exc:
        raise ConfigError(f"--store-url: {exc}") from exc
    with _file_errors():
        found = locate(backup, cli_context(ctx).settings.backup.directory)
        restored = restore_backup(found, target, force=force)
    if fmt is Format.json:
        emit_json(restored)
    else:
        emit_line(restored.summary())


@backup_app.command()
def prune(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what goes; delete nothing.")] = (
        False
    ),
    fmt: FormatOption = Format.table,
) -> None:
    """Delete the backups retention does not keep (backup.keep_last, backup.keep_daily)."""
    from datetime import UTC, datetime

    from swarmops.backup import RetentionPolicy, prune_backups

    settings = cli_context(ctx).settings.backup
    policy = RetentionPolicy(keep_last=settings.keep_last, keep_daily=settings.keep_daily)
    with _file_errors():
        plan = prune_backups(settings.directory, policy, datetime.now(UTC), dry_run=dry_run)
    if fmt is Format.json:
        emit_json(plan)
    else:
        emit_line(("dry run, nothing deleted: " if dry_run else "") + plan.summary())
        for name in plan.pruned:
            emit_line(f"  pruned {name}")


@backup_app.command("list")
def list_command(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """The backups in backup.directory, oldest first, with their verification."""
    from swarmops.backup import list_backups

    with _file_errors():
        backups = list_backups(cli_context(ctx).settings.backup.directory)
    if fmt is Format.json:
        emit_json(
            [{**b.manifest.model_dump(mode="json"), "verified": b.verified()} for b in backups]
        )
        return
    columns = ("name", "created_at", "format", "bytes", "revision", "verified")
    rows = [
        (
            b.name,
            b.manifest.created_at,
            b.manifest.format,
            b.manifest.size_bytes,
            b.manifest.revision,
            b.verified(),
        )
        for b in backups
    ]
    emit_table("backups", columns, rows)


def _described(manifest: Manifest, folder: Path) -> str:
    rows = sum(manifest.tables.values())
    return (
        f"backup {manifest.name}: {manifest.size_bytes:,} bytes, {len(manifest.tables)} tables, "
        f"{rows:,} rows, schema revision {manifest.revision}, in {folder}"
    )
