"""The store probe: open the store as it is (never created, never migrated), then a
query, the integrity check and the schema revision against the migration head."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from swarmops.errors import StoreError, first_line
from swarmops.health.ports import ProbeContext
from swarmops.health.specs import StoreProbe

if TYPE_CHECKING:
    from swarmops.store import Store


def store_outcome(spec: StoreProbe, context: ProbeContext) -> tuple[bool, str]:
    """The probe's own URL, else the round's store (or its URL when the caller could not
    open it), opened as it is: never created, never migrated."""
    from swarmops.store import open_store

    store = context.store if spec.url is None else None
    url = spec.url or context.store_url
    if store is None and url is None:
        return False, "no store to probe"
    opened = None
    try:
        if store is None:
            store = opened = open_store(str(url), migrate=False)
        return _store_state(store)
    except StoreError as exc:
        return False, first_line(exc)  # a store error names the store already
    finally:
        if opened is not None:
            opened.dispose()


def _store_state(store: Store) -> tuple[bool, str]:
    """SELECT 1 and the integrity check, then the schema revision against the head."""
    from swarmops.store.integrity import check_integrity
    from swarmops.store.migrate import HEAD, current_revision, pending_revisions

    with store.unit(read_only=True) as unit:
        unit.scalar(sa.text("SELECT 1"))
        check_integrity(unit)
    pending = pending_revisions(store)
    if pending:
        at = current_revision(store) or "empty"
        return False, f"{store.url}: schema at {at}, behind head {HEAD} ({len(pending)} pending)"
    return True, f"{store.url}: schema at head {HEAD}"
