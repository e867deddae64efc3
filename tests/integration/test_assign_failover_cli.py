"""``swarmops assign`` and ``swarmops failover`` through the entry point, on both databases.

The fixture writes on a frozen clock in the past and the commands run on the wall
clock, so every agent that did not heartbeat through ``live`` is long silent.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.cli.app import main
from swarmops.contracts import ContractSpec, apply_contracts, get_contract
from swarmops.fsm import AgentSpec, get_agent, heartbeat, load_agent_machine, register, transition
from swarmops.store import in_unit, open_store
from swarmops.store.schema import alerts, outbox

CONFIG = Path(__file__).parents[2] / "config"
MACHINE = load_agent_machine(CONFIG / "fsm.yaml")


@pytest.fixture
def cli(store, store_url: str, capsys):  # type: ignore[no-untyped-def]
    """Agents x (python, sql) and y (python, sql); contracts C-1 and C-2 OPEN."""
    for agent_id in ("x", "y"):
        spec = AgentSpec(id=agent_id, role="dev", capacity=2, skills=("python", "sql"))
        in_unit(store, register, MACHINE, spec)
        in_unit(store, transition, MACHINE, agent_id, "IDLE", actor=agent_id)
    specs = [ContractSpec(id=f"C-{n}", title="t", required_skills=("sql",)) for n in (1, 2)]
    in_unit(store, apply_contracts, specs)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        with pytest.raises(SystemExit) as exit_:
            main(["--config", str(CONFIG / "swarmops.yaml"), "--store-url", store_url, *args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, int(exit_.value.code or 0), out, err)

    return run


def live(store_url: str, agent_id: str) -> None:
    """Heartbeat on the wall clock, as a running agent would."""
    store = open_store(store_url)
    in_unit(store, heartbeat, MACHINE, agent_id)
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


def outbox_rows(store):  # type: ignore[no-untyped-def]
    with store.unit(read_only=True) as unit:
        return unit.execute(sa.select(outbox).order_by(outbox.c.id)).all()


def test_failover_alerts_reach_the_outbox_once(cli, store, store_url: str) -> None:
    """Each agent taken offline has one open alert and one outbox row naming it; a
    rehearsal and a second sweep add none."""
    as_json(cli("assign", "--format", "json"))
    live(store_url, "y")
    as_json(cli("failover", "--dry-run", "--format", "json"))
    assert outbox_rows(store) == []
    report = as_json(cli("failover", "--format", "json"))
    assert report["alerts_raised"] == 1
    with store.unit(read_only=True) as unit:
        [alert] = unit.execute(sa.select(alerts)).all()
    [row] = outbox_rows(store)
    assert (alert.kind, alert.resource_id, alert.resolved_at) == ("agent.offline", "x", None)
    assert (row.event, row.resource_kind, row.resource_id) == (
        "swarmops.agent.offline",
        "agent",
        "x",
    )
    assert row.alert_id == alert.id and row.payload["alert_id"] == alert.id
    assert as_json(cli("failover", "--format", "json"))["alerts_raised"] == 0
    assert len(outbox_rows(store)) == 1
