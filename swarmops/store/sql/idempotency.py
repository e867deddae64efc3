"""Idempotency records: the first writer of (scope, key) takes it, a later one finds it."""

from __future__ import annotations

from swarmops.store.schema import idempotency
from swarmops.store.sql.named import insert_ignoring

# On PostgreSQL a second transaction inserting the same (scope, key) waits for the
# first to end: skipped if it committed (then the record holds its result), taken if
# it rolled back. On SQLite write transactions are already serial.
TAKE = insert_ignoring(
    "idempotency.take", idempotency, ["scope", "key"], returning=[idempotency.c.scope]
)
