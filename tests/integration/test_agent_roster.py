"""Rosters (config/agents.yaml): loading, applying idempotently, and ``swarmops init``."""

from __future__ import annotations

from pathlib import Path

import pytest

from swarmops.bootstrap import initialise
from swarmops.errors import ConfigError
from swarmops.fsm import apply_roster, get_agent, load_agent_machine, load_roster
from swarmops.settings import load_settings
from swarmops.store import Store

CONFIG = Path(__file__).resolve().parents[2] / "config"
MACHINE = load_agent_machine(CONFIG / "fsm.yaml")


def test_a_roster_applies_idempotently(store: Store) -> None:
    specs = load_roster(CONFIG / "agents.yaml")
    assert len(specs) == 8
    with store.unit() as conn:
        first = apply_roster(conn, MACHINE, specs)
    with store.unit() as conn:
        second = apply_roster(conn, MACHINE, specs)
    assert (len(first.registered), first.changed) == (8, True)
    assert (len(second.unchanged), second.changed) == (8, False)
    edited = [specs[0].model_copy(update={"capacity": 9}), *specs[1:]]
    with store.unit() as conn:
        third = apply_roster(conn, MACHINE, edited)
    assert third.updated == (specs[0].id,) and get_agent(store, specs[0].id).capacity == 9


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("agents: 3", "'agents' list"),
        ("agents: [{id: a, role: r}, {id: a, role: r}]", "declared twice: a"),
        ("agents: [{id: a}]", "agents.0.role: Field required"),
        ("agents: [{id: a, role: r, colour: red}]", "colour"),
        ("agents: [", "cannot read roster"),
    ],
)
def test_a_bad_roster_names_the_problem(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "agents.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=needle):
        load_roster(path)


def test_init_applies_the_roster_once(store_url: str) -> None:
    settings = load_settings(CONFIG / "swarmops.yaml", store_url=store_url, environ={})
    first = initialise(settings)
    second = initialise(settings)
    assert first.changed and len(first.agents.registered) == 8
    assert not second.changed and len(second.agents.unchanged) == 8
    assert "agents: 0 registered, 0 updated, 8 unchanged" in second.lines()
    assert (len(first.queues_created), second.queues_created) == (8 + 8 + 1, ())  # one unit
