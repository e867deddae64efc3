"""Queue statements: create a queue unless it exists (a concurrent creator may win)."""

from __future__ import annotations

from swarmops.store.schema import queues
from swarmops.store.sql.named import insert_ignoring

CREATE_QUEUE = insert_ignoring("queues.create", queues, ["name"])
