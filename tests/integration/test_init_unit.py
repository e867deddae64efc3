"""``swarmops init`` is one unit of work, on SQLite and PostgreSQL: a bad file or a failure
anywhere leaves the store as it was, and first inits raced on a fresh store all succeed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from swarmops import bootstrap
from swarmops.bootstrap import initialise
from swarmops.fsm import list_agents
from swarmops.settings import Settings, load_settings
from swarmops.store import Store, open_store
from swarmops.store.migrate import HEAD, current_revision
from tests.integration.races import race, run_cli
from tests.refusals import dump

CONFIG = Path(__file__).resolve().parents[2] / "config"
NEWCOMER = "  - {id: agent-new, role: web, capacity: 1, skills: [web]}\n"
RACERS = 6


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A private copy of the demo config folder, free to break."""
    copy = tmp_path / "config"
    shutil.copytree(CONFIG, copy)
    return copy / "swarmops.yaml"


@pytest.fixture
def raw(store_url: str) -> Iterator[Store]:
    """The store at ``store_url`` as it is (never migrated by opening it; an empty
    database when there was none)."""
    opened = open_store(store_url, migrate=False, create=True)
    yield opened
    opened.dispose()


def settings_of(config: Path, store_url: str) -> Settings:
    return load_settings(config, store_url=store_url, environ={})


def break_config(config: Path) -> None:
    """Declare one more agent, and make one contract file unreadable."""
    roster = config.parent / "agents.yaml"
    roster.write_text(roster.read_text() + NEWCOMER)
    (config.parent / "contracts" / "c-105-runbooks.yaml").write_text("id: [unclosed\n")


@pytest.mark.parametrize("first_time", [True, False], ids=["fresh", "initialised"])
def test_a_bad_contract_file_leaves_the_store_as_it_was(
    config: Path, store_url: str, raw: Store, first_time: bool
) -> None:
    init = ["--config", str(config), "--store-url", store_url, "init"]
    if not first_time:
        assert run_cli(init).code == 0
    break_config(config)
    before = dump(raw)
    outcome = run_cli(init)
    assert (outcome.code, outcome.traceback) == (2, None)
    assert "c-105-runbooks.yaml" in outcome.stderr and outcome.stderr.count("\n") == 1
    assert dump(raw) == before
    assert bool(before) is not first_time  # a fresh store stays without even a schema


def test_a_failure_inside_init_commits_no_agent(
    config: Path, store_url: str, raw: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object) -> list[str]:
        raise RuntimeError("queues on fire")

    monkeypatch.setattr(bootstrap, "create_queues", explode)  # after agents and migration
    with pytest.raises(RuntimeError, match="on fire"):
        initialise(settings_of(config, store_url))
    assert dump(raw) == {}
    assert current_revision(raw) is None


@pytest.mark.heavy
def test_first_inits_raced_on_a_fresh_store_all_succeed(
    config: Path, store_url: str, raw: Store
) -> None:
    init = ["--config", str(config), "--store-url", store_url, "init"]
    (outcomes,) = race([[init]] * RACERS)
    for outcome in outcomes:
        assert outcome.traceback is None, outcome.traceback
        assert (outcome.code, outcome.stderr) == (0, ""), outcome
    created = [o for o in outcomes if "created at schema revision" in o.stdout]
    assert len(created) == 1  # each printed what it committed: one created, the rest found it
    assert all(
        f"up to date at schema revision {HEAD}" in o.stdout for o in outcomes if o not in created
    )
    assert current_revision(raw) == HEAD and len(list_agents(raw)) == 8
    assert not initialise(settings_of(config, store_url)).changed
