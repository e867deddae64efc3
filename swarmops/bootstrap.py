"""``swarmops init``: bring a store from nothing (or from an older swarmops) to the
desired state in config. Running it again changes nothing."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from swarmops.contracts import ApplyPlan, apply_folder
from swarmops.fsm import RosterSummary, apply_roster, load_agent_machine, load_roster
from swarmops.settings import Settings
from swarmops.store import Store, open_store
from swarmops.store.migrate import ensure_schema


class InitReport(BaseModel):
    """What ``init`` found and did."""

    model_config = ConfigDict(frozen=True)

    store_url: str
    revision_before: str | None
    revision: str
    changed: bool
    agents: RosterSummary | None = None
    contracts: ApplyPlan | None = None

    def lines(self) -> list[str]:
        if self.revision_before is None:
            state = f"created at schema revision {self.revision}"
        elif self.revision_before != self.revision:
            state = f"migrated from {self.revision_before} to {self.revision}"
        else:
            state = f"up to date at schema revision {self.revision}"
        return [f"store {self.store_url}: {state}", *self._agent_lines(), self._contract_line()]

    def _contract_line(self) -> str:
        if self.contracts is None:
            return "contracts: no contracts folder, nothing applied"
        return f"contracts: {self.contracts.summary()}"

    def _agent_lines(self) -> list[str]:
        if self.agents is None:
            return ["agents: no roster file, nothing applied"]
        done = self.agents
        return [
            f"agents: {len(done.registered)} registered, {len(done.updated)} updated, "
            f"{len(done.unchanged)} unchanged"
        ]


def initialise(settings: Settings) -> InitReport:
    """Create or migrate the store to the head revision."""
    store = open_store(settings.store_url, migrate=False)
    try:
        migration = ensure_schema(store)
        roster = _apply_agents(store, settings)
        plan = _apply_contracts(store, settings)
        return InitReport(
            store_url=store.url,
            revision_before=migration.before,
            revision=migration.after,
            changed=migration.changed
            or (roster is not None and roster.changed)
            or (plan is not None and plan.changes > 0),
            agents=roster,
            contracts=plan,
        )
    finally:
        store.dispose()


def _apply_agents(store: Store, settings: Settings) -> RosterSummary | None:
    """Register missing agents of the roster and update changed ones, in one transaction."""
    if not settings.agents.is_file():
        return None
    specs = load_roster(settings.agents)
    machine = load_agent_machine(settings.fsm)
    with store.write() as conn:
        return apply_roster(conn, machine, specs, store.now())


def _apply_contracts(store: Store, settings: Settings) -> ApplyPlan | None:
    """Apply the contracts folder (all or nothing); a second run finds nothing to change."""
    if not settings.contracts.is_dir():
        return None
    return apply_folder(store, settings.contracts)
