"""The roles an agent machine declares for the code (onboarding, offline, rejoin,
takes_work, gone)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from swarmops.errors import InvalidDefinition
from swarmops.fsm import load_agent_machine, onboarding_state, unswept_states
from tests.unit.test_fsm_machine import FSM

# N: onboarding, A: works, B: offline, C: terminal.
TINY: dict[str, Any] = {
    "name": "tiny",
    "states": ["N", "A", "B", "C"],
    "initial": "N",
    "terminal": ["C"],
    "transitions": [
        {"name": "onboarded", "from": "N", "to": "A"},
        {"name": "go", "from": "A", "to": "B"},
        {"name": "back", "from": "B", "to": "A"},
        {"name": "back_to_onboarding", "from": "B", "to": "N"},
        {"name": "stop", "from": "*", "to": "C"},
    ],
}
AGENT_ROLES = {
    "onboarding": "N",
    "offline": "B",
    "rejoin": "A",
    "takes_work": ["A"],
    "gone": ["B", "C"],
}


def _load(tmp_path: Path, roles: dict[str, Any], dropped: str | None = None):  # type: ignore[no-untyped-def]
    transitions = [t for t in TINY["transitions"] if t["name"] != dropped]
    path = tmp_path / "fsm.yaml"
    path.write_text(yaml.safe_dump({**TINY, "transitions": transitions, "roles": roles}))
    return load_agent_machine(path)


@pytest.mark.parametrize(
    ("roles", "needle"),
    [
        ({**AGENT_ROLES, "offline": "NOPE"}, "unknown state of role 'offline': NOPE"),
        ({**AGENT_ROLES, "offline": 3}, "roles.offline must be a state or a list"),
        ({k: v for k, v in AGENT_ROLES.items() if k != "gone"}, "roles.gone is not declared"),
        ({k: v for k, v in AGENT_ROLES.items() if k != "onboarding"}, "roles.onboarding is not"),
        ({**AGENT_ROLES, "offline": ["B", "C"]}, "roles.offline names exactly one state"),
        ({**AGENT_ROLES, "onboarding": ["N", "A"]}, "roles.onboarding names exactly one state"),
        ({**AGENT_ROLES, "rejoin": "B"}, "no transition B -> B for a rejoin"),
        ({**AGENT_ROLES, "gone": ["C"]}, "offline state B must be in roles.gone"),
        ({**AGENT_ROLES, "takes_work": ["A", "N"]}, "onboarding state N cannot take work"),
    ],
)
def test_the_agent_machine_declares_the_roles_the_code_relies_on(
    tmp_path: Path, roles: dict[str, Any], needle: str
) -> None:
    with pytest.raises(InvalidDefinition, match=needle):
        _load(tmp_path, roles)


def test_an_agent_never_onboarded_needs_a_way_back_to_onboarding(tmp_path: Path) -> None:
    assert onboarding_state(_load(tmp_path, AGENT_ROLES)) == "N"
    with pytest.raises(InvalidDefinition, match="no transition B -> N for a rejoin before"):
        _load(tmp_path, AGENT_ROLES, dropped="back_to_onboarding")


def test_roles_of_the_default_lifecycle() -> None:
    machine = load_agent_machine(FSM)
    assert (machine.role("offline"), machine.role("rejoin")) == (("OFFLINE",), ("IDLE",))
    assert machine.role("takes_work") == ("IDLE", "CONTRACT_ACTIVE")
    assert onboarding_state(machine) == "ONBOARDING"
    assert unswept_states(machine) == ["OFFLINE", "SHUTDOWN", "ONBOARDING"]
    with pytest.raises(InvalidDefinition, match="no states declared for role 'sleepy'"):
        machine.role("sleepy")
