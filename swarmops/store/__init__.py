"""The store: SQLAlchemy Core tables, migrations and the transaction policy."""

from __future__ import annotations

from swarmops.store.store import Store, open_store

__all__ = ["Store", "open_store"]
