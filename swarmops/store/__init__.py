"""The store: SQLAlchemy Core tables, migrations and the unit of work."""

from __future__ import annotations

from swarmops.store.retry import in_unit
from swarmops.store.store import Store, open_store
from swarmops.store.unit import Lock, Unit

__all__ = ["Lock", "Store", "Unit", "in_unit", "open_store"]
