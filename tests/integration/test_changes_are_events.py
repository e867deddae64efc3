"""Every change is an event, as the README promises, on SQLite and PostgreSQL.

Each update path that changes an agent's or a contract's data without moving its
state appends one event that keeps the state and says what changed; nothing that
changes nothing writes one, and the logs still replay to their projections.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from swarmops.contracts import apply_contracts, contract_history, load_contract_files
from swarmops.contracts.recovery import verify_contracts
from swarmops.fsm import AgentSpec, agent_history, apply_roster, load_agent_machine
from swarmops.store import Store, in_unit
from swarmops.testing import seed_owners
from tests.refusals import swarmops

ROOT = Path(__file__).resolve().parents[2]
MACHINE = load_agent_machine(ROOT / "config" / "fsm.yaml")
CONFIG = ("--config", str(ROOT / "config" / "swarmops.yaml"))
REGISTER = ("agent", "register", "w1", "--role", "dev", "--format", "json")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("--capacity", "3"), "updated: capacity 1 -> 3"),
        (("--skills", "py,sql"), "updated: skills () -> ('py', 'sql')"),
        (("--capacity", "0", "--skills", "go"), "updated: capacity 1 -> 0; skills () -> ('go',)"),
    ],
)
def test_register_update_logs_the_change(
    store: Store, store_url: str, tmp_path: Path, change: tuple[str, ...], reason: str
) -> None:
    def cli(*args: str) -> dict[str, object]:
        done = swarmops(*CONFIG, "--store-url", store_url, *REGISTER, *args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    cli()
    assert cli()["version"] == 1  # the same data again: no change, no event
    updated = cli(*change, "--update")
    assert updated["version"] == 2 == len(agent_history(store, "w1"))
    last = agent_history(store, "w1")[-1]
    assert (last.from_state, last.to_state, last.actor, last.reason) == (
        "ONBOARDING",
        "ONBOARDING",
        "operator",
        reason,
    )
    assert cli(*change, "--update")["version"] == 2  # applied already: nothing new
    verified = swarmops(*CONFIG, "--store-url", store_url, "agent", "verify", cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout


def test_a_roster_update_is_an_event_of_the_system(store: Store) -> None:
    roster = [AgentSpec(id="a", role="dev"), AgentSpec(id="b", role="dev", capacity=2)]
    in_unit(store, apply_roster, MACHINE, roster)
    changed = [roster[0].model_copy(update={"skills": ("sql",)}), roster[1]]
    summary = in_unit(store, apply_roster, MACHINE, changed)
    assert (summary.updated, summary.unchanged) == (("a",), ("b",))
    [_, change] = agent_history(store, "a")
    assert (change.actor, change.reason) == ("system", "updated: skills () -> ('sql',)")
    assert len(agent_history(store, "b")) == 1


def test_a_contract_changed_removed_or_restored_in_config_is_an_event(store: Store) -> None:
    specs = load_contract_files(ROOT / "config" / "contracts")
    seed_owners(store, specs)
    in_unit(store, apply_contracts, specs)
    first = {spec.id: len(contract_history(store, spec.id)) for spec in specs}
    edited = [specs[0].model_copy(update={"title": "Renamed"}), *specs[2:]]
    in_unit(store, apply_contracts, edited)
    in_unit(store, apply_contracts, specs)
    reasons = {
        spec.id: [e.reason for e in contract_history(store, spec.id)][first[spec.id] :]
        for spec in specs[:2]
    }
    assert reasons == {
        specs[0].id: ["changed in config", "changed in config"],
        specs[1].id: ["removed from config", "declared again"],
    }
    assert all(len(contract_history(store, s.id)) == first[s.id] for s in specs[2:])
    assert verify_contracts(store).ok
