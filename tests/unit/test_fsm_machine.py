"""The declared machine: the default lifecycle, the shorthand, and refused definitions."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from swarmops.errors import IllegalTransition, InvalidDefinition, NotFound
from swarmops.fsm import ACTOR_KINDS, actor_kind, load_agent_machine, load_machine, parse_machine

FSM = Path(__file__).resolve().parents[2] / "config" / "fsm.yaml"
STATES = [
    "ONBOARDING",
    "IDLE",
    "CONTRACT_ACTIVE",
    "BLOCKED",
    "PAUSED",
    "ERROR",
    "OFFLINE",
    "SHUTDOWN",
]
LIVE = STATES[:-1]

BASE: dict[str, Any] = {
    "name": "tiny",
    "states": ["A", "B", "C"],
    "initial": "A",
    "terminal": ["C"],
    "transitions": [
        {"name": "go", "from": "A", "to": "B"},
        {"name": "stop", "from": "*", "to": "C"},
    ],
}


def edited(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def test_the_default_lifecycle_is_the_one_the_issue_declares() -> None:
    machine = load_agent_machine(FSM)
    assert (machine.states, machine.initial, machine.terminal) == (
        tuple(STATES),
        "ONBOARDING",
        frozenset({"SHUTDOWN"}),
    )
    pairs = {(t.source, t.target) for t in machine.transitions}
    expected = {
        ("ONBOARDING", "IDLE"),
        ("IDLE", "CONTRACT_ACTIVE"),
        ("CONTRACT_ACTIVE", "IDLE"),
        ("CONTRACT_ACTIVE", "BLOCKED"),
        ("BLOCKED", "CONTRACT_ACTIVE"),
        ("IDLE", "PAUSED"),
        ("CONTRACT_ACTIVE", "PAUSED"),
        ("BLOCKED", "PAUSED"),
        ("PAUSED", "IDLE"),
        ("ERROR", "IDLE"),
        ("OFFLINE", "IDLE"),
        ("OFFLINE", "ONBOARDING"),
    }
    expected |= {(s, "ERROR") for s in LIVE if s != "ERROR"}
    expected |= {(s, "OFFLINE") for s in LIVE if s != "OFFLINE"}
    expected |= {(s, "SHUTDOWN") for s in LIVE}
    assert pairs == expected
    assert machine.transition("IDLE", "CONTRACT_ACTIVE").guards == ("has_assigned_contract",)
    for move in machine.transitions:
        assert move.actors == ({"system"} if move.target == "OFFLINE" else ACTOR_KINDS)


def test_targets_and_illegal_moves_name_the_allowed_targets() -> None:
    machine = load_agent_machine(FSM)
    assert machine.targets("OFFLINE") == ["ERROR", "IDLE", "ONBOARDING", "SHUTDOWN"]
    assert machine.targets("SHUTDOWN") == []
    with pytest.raises(
        IllegalTransition, match="allowed from OFFLINE: ERROR, IDLE, ONBOARDING, SHUTDOWN"
    ):
        machine.transition("OFFLINE", "PAUSED")
    with pytest.raises(IllegalTransition, match="already in IDLE"):
        machine.transition("IDLE", "IDLE")
    with pytest.raises(NotFound, match="unknown state 'NOPE'"):
        machine.transition("IDLE", "NOPE")


def test_mermaid_diagram() -> None:
    text = load_agent_machine(FSM).mermaid()
    lines = text.splitlines()
    assert lines[:2] == ["stateDiagram-v2", "    [*] --> ONBOARDING"]
    assert "    IDLE --> CONTRACT_ACTIVE: claim [has_assigned_contract]" in lines
    assert "    IDLE --> OFFLINE: go_offline (system only)" in lines
    assert lines[-1] == "    SHUTDOWN --> [*]"
    assert len(lines) == 2 + 31 + 1


def test_star_means_every_live_state_but_the_target() -> None:
    machine = parse_machine(BASE, source="t")
    assert [(t.source, t.target) for t in machine.transitions] == [
        ("A", "B"),
        ("A", "C"),
        ("B", "C"),
    ]


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"initial": None}, "no initial state"),
        ({"initial": "Z"}, "unknown initial state Z"),
        ({"states": []}, "no states declared"),
        ({"states": ["A", "A", "B", "C"]}, "duplicate state"),
        ({"terminal": ["Z"]}, "unknown terminal state Z"),
        ({"transitions": []}, "no transitions"),
        ({"transitions": [{"name": "x", "from": "A", "to": "Z"}]}, "unknown state Z"),
        ({"transitions": [{"name": "x", "from": "Y", "to": "B"}]}, "unknown state Y"),
        ({"transitions": [{"name": "go", "from": "A", "to": "B"}]}, "unreachable state.*: C"),
        (
            {"transitions": [*BASE["transitions"], {"name": "back", "from": "C", "to": "A"}]},
            "'back': leaves terminal state C",
        ),
        (
            {"transitions": [*BASE["transitions"], {"name": "g", "from": "A", "to": "B"}]},
            "A -> B declared twice",
        ),
        ({"transitions": [{"name": "x", "from": "A", "to": "A"}]}, "cannot move to itself"),
        (
            {"transitions": [{"name": "x", "from": "A", "to": "B", "guards": ["lucky"]}]},
            "unknown guard.* lucky",
        ),
        (
            {"transitions": [{"name": "x", "from": "A", "to": "B", "actors": ["robot"]}]},
            "unknown actor kind.* robot",
        ),
        ({"actors": ["alien"]}, "unknown actor kind"),
        ({"transitions": [{"from": "A", "to": "B"}]}, "needs a name"),
        ({"transitions": [{"name": "x", "to": "B"}]}, "needs a from state"),
        ({"terminal": 5}, "must be a string or a list"),
    ],
)
def test_a_bad_definition_names_its_problem(changes: dict[str, Any], needle: str) -> None:
    with pytest.raises(InvalidDefinition, match=needle):
        parse_machine(edited(**changes), source="bad.yaml")


def test_guards_are_checked_against_the_known_set() -> None:
    data = edited(
        transitions=[*BASE["transitions"], {"name": "g", "from": "B", "to": "A", "guards": "ok"}]
    )
    assert parse_machine(data, source="t", guards={"ok"}).transition("B", "A").guards == ("ok",)


def test_load_machine_reports_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidDefinition, match="cannot read machine"):
        load_machine(tmp_path / "missing.yaml")
    (tmp_path / "list.yaml").write_text("- a\n")
    with pytest.raises(InvalidDefinition, match="must be a mapping"):
        load_machine(tmp_path / "list.yaml")


@pytest.mark.parametrize(
    ("actor", "kind"),
    [("system", "system"), ("a1", "agent"), ("operator", "operator"), ("alice", "operator")],
)
def test_actor_resolution(actor: str, kind: str) -> None:
    assert actor_kind(actor, "a1") == kind
