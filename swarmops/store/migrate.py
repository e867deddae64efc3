"""Schema migrations with Alembic, run programmatically on the store's connection.

``ensure_schema`` is cheap when the store is current (one SELECT, no Alembic
import), so every command can call it; a store at a revision this code does not
know was migrated by a newer swarmops and is refused rather than touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from swarmops.errors import SchemaTooNew, StoreError, first_line
from swarmops.store.engine import no_store
from swarmops.store.store import Store
from swarmops.store.unit import Lock, Unit

MIGRATIONS = Path(__file__).with_name("migrations")
# Every revision this code knows, oldest first; the last one is the head.
REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD = REVISIONS[-1]
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class MigrationResult:
    """What a migration did: the revision before and after."""

    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def current_revision(store: Store) -> str | None:
    """The store's schema revision, or None for an empty store."""
    with store.unit(read_only=True) as unit:
        return revision_in(unit)


def revision_in(unit: Unit) -> str | None:
    """The schema revision as this unit sees it."""
    if not sa.inspect(unit.connection).has_table(VERSION_TABLE):
        return None
    return unit.scalar(sa.text(f"SELECT version_num FROM {VERSION_TABLE}"))


def existing_revision(store: Store) -> str:
    """The revision of a store that exists: ``NoStore`` when the database (an empty file,
    a PostgreSQL schema with no tables) holds no swarmops schema; a newer one is refused."""
    revision = _checked(current_revision(store), store.url)
    if revision is None:
        raise no_store(store.url, "the database holds no swarmops schema")
    return revision


def pending_revisions(store: Store) -> list[str]:
    """Revisions the store still lacks (empty when it is at the head)."""
    current = _checked(current_revision(store), store.url)
    start = REVISIONS.index(current) + 1 if current else 0
    return list(REVISIONS[start:])


def ensure_schema(store: Store) -> MigrationResult:
    """Create or upgrade the schema to the head in a unit of its own; refuse a newer one."""
    if _checked(current_revision(store), store.url) == HEAD:
        return MigrationResult(before=HEAD, after=HEAD)
    with store.unit() as unit:
        return migrate(unit)


def migrate(unit: Unit) -> MigrationResult:
    """Bring the schema to the head inside ``unit``, under the migration lock.

    The revision is read again under the lock, so processes that start on a fresh
    database at once wait for the first one's schema instead of racing to create it.
    """
    unit.lock(Lock.MIGRATE)
    before = _checked(revision_in(unit), unit.url)
    if before != HEAD:
        _upgrade(unit)
    return MigrationResult(before=before, after=HEAD)


def _checked(revision: str | None, url: str) -> str | None:
    if revision is not None and revision not in REVISIONS:
        raise SchemaTooNew(
            f"store {url} is at schema revision {revision!r}, newer than this "
            f"swarmops knows (head {HEAD!r}); upgrade swarmops to use it"
        )
    return revision


def _upgrade(unit: Unit) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = unit.connection
    try:
        command.upgrade(config, "head")
    except sa.exc.SQLAlchemyError as exc:
        reason = first_line(getattr(exc, "orig", None) or exc)
        raise StoreError(f"store {unit.url}: migration failed: {reason}") from exc
