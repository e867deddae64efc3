"""``swarmops init``: bring a store from nothing (or from an older swarmops) to the
desired state in config. Running it again changes nothing.

Init is one unit of work under the apply lock: migrate (under the migration lock,
reading the revision again under it), agents, contracts, queues. Every file is read
before the unit opens, and any error inside it rolls all of it back, so a bad file
anywhere leaves the store as it was; processes that run init at once on a fresh
database wait for each other and all succeed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from swarmops.contracts import ApplyPlan, ContractSpec, apply_contracts, load_contract_files
from swarmops.errors import ConfigError
from swarmops.fsm import (
    AgentSpec,
    Machine,
    RosterSummary,
    apply_roster,
    load_agent_machine,
    load_roster,
)
from swarmops.pipeline.queues import create_queues, desired_queues
from swarmops.settings import Settings
from swarmops.store import Lock, Unit, in_unit, open_store
from swarmops.store.migrate import migrate


class InitReport(BaseModel):
    """What ``init`` found and did."""

    model_config = ConfigDict(frozen=True)

    store_url: str
    revision_before: str | None
    revision: str
    changed: bool
    agents: RosterSummary | None = None
    contracts: ApplyPlan | None = None
    queues_created: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        if self.revision_before is None:
            state = f"created at schema revision {self.revision}"
        elif self.revision_before != self.revision:
            state = f"migrated from {self.revision_before} to {self.revision}"
        else:
            state = f"up to date at schema revision {self.revision}"
        queues = f"queues: {len(self.queues_created)} created"
        head = f"store {self.store_url}: {state}"
        return [head, *self._agent_lines(), self._contract_line(), queues]

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


class _Declared(BaseModel):
    """The config files' content, read before the unit opens (None: no such file)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    machine: Machine | None
    agents: tuple[AgentSpec, ...] | None
    contracts: tuple[ContractSpec, ...] | None


def initialise(settings: Settings) -> InitReport:
    """Create or migrate the store to the head revision and apply the config, all at once."""
    declared = _declared(settings)
    store = open_store(settings.store_url, migrate=False, create=True)
    try:
        return in_unit(store, _initialise, declared)
    finally:
        store.dispose()


def _declared(settings: Settings) -> _Declared:
    """Read every file first: a bad one is refused before anything is written."""
    roster = _present(settings, "agents", settings.agents.is_file())
    folder = _present(settings, "contracts", settings.contracts.is_dir())
    return _Declared(
        machine=load_agent_machine(settings.fsm) if roster else None,
        agents=tuple(load_roster(settings.agents)) if roster else None,
        contracts=tuple(load_contract_files(settings.contracts)) if folder else None,
    )


def _present(settings: Settings, key: str, found: bool) -> bool:
    """Whether to apply ``key``'s file: a default that is absent is skipped, one the config
    or environment names and is absent is an error (never "nothing applied")."""
    if not found and key in settings.model_fields_set:
        where = f"{settings.config_file}: " if settings.config_file else ""
        raise ConfigError(f"{where}{key}: {getattr(settings, key)} does not exist")
    return found


def _initialise(unit: Unit, declared: _Declared) -> InitReport:
    unit.lock(Lock.APPLY)  # before the migration lock, in the order every apply takes them
    migration = migrate(unit)
    roster = None
    created: list[str] = []
    if declared.machine is not None and declared.agents is not None:
        roster = apply_roster(unit, declared.machine, declared.agents)
        created = create_queues(unit, desired_queues(declared.agents))
    plan = None if declared.contracts is None else apply_contracts(unit, declared.contracts)
    changed = (roster is not None and roster.changed) or (plan is not None and plan.changes > 0)
    return InitReport(
        store_url=unit.url,
        revision_before=migration.before,
        revision=migration.after,
        changed=migration.changed or changed or bool(created),
        agents=roster,
        contracts=plan,
        queues_created=tuple(created),
    )
