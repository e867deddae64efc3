"""Named SQL, one module per concern, each statement in its SQLite and PostgreSQL forms.

Only statements whose text differs between the two databases live here (claims,
inserts that skip a taken key, row locks, the transition hot path); a statement
that is the same on both is written where it is used, in SQLAlchemy Core. A unit
of work picks the form of its own database, so no code outside this package asks
which database it runs on.
"""

from __future__ import annotations

from swarmops.store.sql.named import Named, for_update, insert_ignoring

__all__ = ["Named", "for_update", "insert_ignoring"]
