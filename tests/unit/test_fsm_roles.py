"""The roles an agent machine declares for the code (offline, rejoin, takes_work, gone)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from swarmops.errors import InvalidDefinition
from swarmops.fsm import load_agent_machine
from tests.unit.test_fsm_machine import BASE, FSM, edited

AGENT_ROLES = {"offline": "B", "rejoin": "A", "takes_work": ["A"], "gone": ["B", "C"]}


@pytest.mark.parametrize(
    ("roles", "needle"),
    [
        ({"offline": "NOPE"}, "unknown state of role 'offline': NOPE"),
        ({"offline": 3}, "roles.offline must be a state or a list"),
        ({k: v for k, v in AGENT_ROLES.items() if k != "gone"}, "roles.gone is not declared"),
        ({**AGENT_ROLES, "offline": ["B", "C"]}, "roles.offline names exactly one state"),
        ({**AGENT_ROLES, "rejoin": "B"}, "no transition B -> B for a rejoin"),
        ({**AGENT_ROLES, "gone": ["C"]}, "offline state B must be in roles.gone"),
    ],
)
def test_the_agent_machine_declares_the_roles_the_code_relies_on(
    tmp_path: Path, roles: dict[str, Any], needle: str
) -> None:
    data = edited(
        transitions=[*BASE["transitions"], {"name": "back", "from": "B", "to": "A"}], roles=roles
    )
    path = tmp_path / "fsm.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InvalidDefinition, match=needle):
        load_agent_machine(path)


def test_roles_of_the_default_lifecycle() -> None:
    machine = load_agent_machine(FSM)
    assert (machine.role("offline"), machine.role("rejoin")) == (("OFFLINE",), ("IDLE",))
    assert machine.role("takes_work") == ("IDLE", "CONTRACT_ACTIVE")
    with pytest.raises(InvalidDefinition, match="no states declared for role 'sleepy'"):
        machine.role("sleepy")
