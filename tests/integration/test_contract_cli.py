"""``swarmops contract`` through its entry point on SQLite and PostgreSQL, and once as a
process to prove the agent-facing path loads no heavy library."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.cli.app import main
from swarmops.contracts.rollup import CONTRACT_COLUMNS
from swarmops.store import Store, open_store
from swarmops.store.schema import fencing_rejections, progress_events
from swarmops.testing import seed_agent

CONTRACTS = Path(__file__).parents[2] / "config" / "contracts"


@pytest.fixture
def cli(store: Store, store_url: str, capsys):  # type: ignore[no-untyped-def]
    """Run ``swarmops --store-url URL …`` in-process; returns (exit code, stdout, stderr).
    The owners the contract files name are registered (an unknown owner is refused)."""
    for owner in ("agent-2", "agent-5", "agent-8"):
        seed_agent(store, owner, "dev")

    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exit_:
            main(["--store-url", store_url, *args])
        out, err = capsys.readouterr()
        return int(exit_.value.code or 0), out, err

    return run


def test_apply_progress_and_rollup(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("contract", "apply", str(CONTRACTS), "--dry-run", "--format", "json")
    ids = ["C-101", "C-102", "C-103", "C-104", "C-105"]
    assert (code, json.loads(out)["added"], json.loads(out)["dry_run"]) == (0, ids, True)
    assert cli("contract", "apply", str(CONTRACTS))[0] == 0
    code, out, _ = cli("contract", "apply", str(CONTRACTS), "--format", "json")
    assert json.loads(out)["unchanged"] == ids
    progress = ["contract", "progress", "C-101", "--agent", "agent-2"]
    code, out, _ = cli(*progress, "--percent", "40", "--key", "r1", "--format", "json")
    reported = json.loads(out)
    assert (code, reported["status"], reported["event"]["percent"]) == (0, "IN_PROGRESS", 40.0)
    assert "(replayed)" in cli(*progress, "--percent", "40", "--key", "r1")[1]
    code, _, err = cli(*progress, "--percent", "10")
    assert code == 2 and "--allow-regress" in err and err.count("\n") == 1
    assert cli(*progress, "--percent", "10", "--allow-regress")[0] == 0
    assert cli(*progress, "--task", "schema", "--done")[1].startswith("C-101: 33.3333%")
    code, out, _ = cli("contract", "rollup", "--format", "json")
    payload = json.loads(out)
    assert set(payload) == {"contracts", "agents", "swarm"}
    assert list(payload["contracts"][0]) == CONTRACT_COLUMNS
    assert cli("contract", "rollup", "--format", "csv")[1].startswith("id,title,owner,status")


def test_status_by_hand_and_show(cli) -> None:  # type: ignore[no-untyped-def]
    cli("contract", "apply", str(CONTRACTS))
    cli("contract", "progress", "C-101", "--agent", "agent-2", "--percent", "5")
    assert cli("contract", "status", "C-101", "BLOCKED", "--actor", "agent-2")[1] == (
        "C-101: IN_PROGRESS -> BLOCKED (version 4)\n"
    )
    code, _, err = cli("contract", "status", "C-101", "DONE", "--actor", "alice")
    assert code == 2 and "BLOCKED -> DONE is not allowed" in err
    code, out, _ = cli("contract", "show", "C-101", "--format", "json")
    history = [e["to_status"] for e in json.loads(out)["history"]]
    assert history == ["OPEN", "ASSIGNED", "IN_PROGRESS", "BLOCKED"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--percent", "150"], 2, "less than or equal to 100"),
        (["--percent", "5", "--agent", "agent-7"], 2, "does not hold contract 'C-101'"),
        (["--task", "nope", "--done"], 2, "has no task 'nope'"),
        (["--percent", "5", "--token", "0"], 1, "token 0 is stale"),
    ],
)
def test_refused_progress_exits_with_one_line(
    cli, args: list[str], code: int, message: str
) -> None:  # type: ignore[no-untyped-def]
    cli("contract", "apply", str(CONTRACTS))
    agent = [] if "--agent" in args else ["--agent", "agent-2"]
    exit_code, _, err = cli("contract", "progress", "C-101", *agent, *args)
    assert (exit_code, err.count("\n")) == (code, 1) and message in err


def test_a_stale_token_exits_1_and_its_refusal_is_kept(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    cli("contract", "apply", str(CONTRACTS))
    progress = ["contract", "progress", "C-101", "--agent", "agent-2", "--percent", "5"]
    code, _, err = cli(*progress, "--token", "0")
    assert code == 1 and "token 0 is stale (current 1)" in err
    with store.unit(read_only=True) as unit:
        refused = unit.execute(sa.select(fencing_rejections)).mappings().all()
        events = unit.scalar(sa.select(sa.func.count()).select_from(progress_events))
    assert [(r["agent_id"], r["token"], r["current_token"]) for r in refused] == [("agent-2", 0, 1)]
    assert events == 0  # the refused report wrote nothing else


def test_an_invalid_folder_exits_2_and_applies_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, folder)
    (folder / "zz-bad.yaml").write_text("id: C-9\ntitle: x\npriority: someday\n")
    code, _, err = cli("contract", "apply", str(folder))
    assert code == 2 and "zz-bad.yaml: priority:" in err
    code, out, _ = cli("contract", "apply", str(CONTRACTS), "--dry-run", "--format", "json")
    assert len(json.loads(out)["added"]) == 5


def test_the_progress_path_loads_no_heavy_library(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    open_store(url, create=True).dispose()
    script = (
        "import sys\nfrom swarmops.cli.app import main\n"
        "owners = [['agent', 'register', a, '--role', 'dev'] for a in ('agent-2', 'agent-5', 'agent-8')]\n"
        f"for args in (*owners, ['contract', 'apply', {str(CONTRACTS)!r}],\n"
        "             ['contract', 'progress', 'C-101', '--agent', 'agent-2', '--percent', '5'],\n"
        "             ['contract', 'show', 'C-101']):\n"
        "    try:\n"
        f"        main(['--store-url', {url!r}, *args])\n"
        "    except SystemExit as exc:\n"
        "        assert not exc.code, exc.code\n"
        "heavy = ('pandas', 'great_expectations', 'prefect')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"
