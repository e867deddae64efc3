"""``swarmops assign`` and ``swarmops failover`` through the entry point, on both databases.

The fixture writes on a frozen clock in the past and the commands run on the wall
clock, so every agent that did not heartbeat through ``live`` is long silent.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from swarmops.cli.app import main
from swarmops.contracts import ContractSpec, apply_contracts, get_contract
from swarmops.fsm import (
    AgentSpec,
    get_agent,
    heartbeat,
    load_agent_machine,
    register_agent,
    transition_agent,
)
from swarmops.store import open_store

CONFIG = Path(__file__).parents[2] / "config"
MACHINE = load_agent_machine(CONFIG / "fsm.yaml")


@pytest.fixture
def cli(store, store_url: str, capsys):  # type: ignore[no-untyped-def]
    """Agents x (python, sql) and y (python, sql); contracts C-1 and C-2 OPEN."""
    for agent_id in ("x", "y"):
        spec = AgentSpec(id=agent_id, role="dev", capacity=2, skills=("python", "sql"))
        register_agent(store, MACHINE, spec)
        transition_agent(store, MACHINE, agent_id, "IDLE", actor=agent_id)
    specs = [ContractSpec(id=f"C-{n}", title="t", required_skills=("sql",)) for n in (1, 2)]
    with store.write() as conn:
        apply_contracts(conn, specs, store.now())

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        with pytest.raises(SystemExit) as exit_:
            main(["--config", str(CONFIG / "swarmops.yaml"), "--store-url", store_url, *args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, int(exit_.value.code or 0), out, err)

    return run


def live(store_url: str, agent_id: str) -> None:
    """Heartbeat on the wall clock, as a running agent would."""
    store = open_store(store_url)
    heartbeat(store, MACHINE, agent_id)
    store.dispose()


def as_json(result: subprocess.CompletedProcess[str]):  # type: ignore[no-untyped-def]
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_assign_plans_then_assigns_once(cli, store) -> None:
    plan = as_json(cli("assign", "--dry-run", "--format", "json"))
    assert (plan["dry_run"], plan["assigned"]) == (True, 2)
    assert [a["token"] for a in plan["assignments"]] == [None, None]
    assert get_contract(store, "C-1").status == "OPEN"
    made = as_json(cli("assign", "--format", "json"))
    pairs = [(a["contract_id"], a["agent_id"], a["token"]) for a in made["assignments"]]
    assert pairs == [("C-1", "x", 1), ("C-2", "y", 1)]  # least-loaded first, ties by id
    again = cli("assign")
    assert again.returncode == 0 and "assignments made" in again.stdout
    assert "C-1" not in again.stdout


def test_failover_moves_a_silent_agent_s_work_once(cli, store, store_url: str) -> None:
    as_json(cli("assign", "--format", "json"))
    live(store_url, "y")
    plan = as_json(cli("failover", "--dry-run", "--format", "json"))
    assert [o["agent_id"] for o in plan["offline"]] == ["x"] and plan["dry_run"] is True
    assert get_agent(store, "x").state == "IDLE"
    report = as_json(cli("failover", "--format", "json"))
    moved = report["offline"][0]["released_contracts"]
    assert report["failovers"] == 1 and len(moved) == 1
    assert get_contract(store, moved[0]).owner == "y"
    assert get_agent(store, "x").state == "OFFLINE"
    table = cli("failover")
    assert table.returncode == 0 and "alerts raised 0, resolved 0" in table.stdout
