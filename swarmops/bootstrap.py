"""``swarmops init``: bring a store from nothing (or from an older swarmops) to the
desired state in config. Running it again changes nothing."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from swarmops.settings import Settings
from swarmops.store import open_store
from swarmops.store.migrate import ensure_schema


class InitReport(BaseModel):
    """What ``init`` found and did."""

    model_config = ConfigDict(frozen=True)

    store_url: str
    revision_before: str | None
    revision: str
    changed: bool

    def lines(self) -> list[str]:
        if self.revision_before is None:
            state = f"created at schema revision {self.revision}"
        elif self.revision_before != self.revision:
            state = f"migrated from {self.revision_before} to {self.revision}"
        else:
            state = f"up to date at schema revision {self.revision}"
        return [f"store {self.store_url}: {state}"]


def initialise(settings: Settings) -> InitReport:
    """Create or migrate the store to the head revision."""
    store = open_store(settings.store_url, migrate=False)
    try:
        migration = ensure_schema(store)
        return InitReport(
            store_url=store.url,
            revision_before=migration.before,
            revision=migration.after,
            changed=migration.changed,
        )
    finally:
        store.dispose()
