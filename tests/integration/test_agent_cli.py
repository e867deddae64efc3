"""``swarmops agent`` and ``swarmops fsm`` end to end (in process), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from swarmops.cli import main
from swarmops.store import open_store

CONFIG = Path(__file__).resolve().parents[2] / "config" / "swarmops.yaml"
AGENT_KEYS = ["id", "role", "state", "version", "capacity", "skills", "heartbeat_at", "updated_at"]
EVENT_KEYS = ["id", "from_state", "to_state", "at", "actor", "reason", "key"]


def runner(store_url: str, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``swarmops --config config/swarmops.yaml --store-url URL …`` in this process.

    In-process keeps the suite fast on a busy machine; the subprocess tests below
    check the same entry point from a fresh interpreter. The store is created first,
    as ``swarmops init`` would: no other command creates one.
    """
    open_store(store_url, create=True).dispose()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        capsys.readouterr()
        try:
            main(["--config", str(CONFIG), "--store-url", store_url, *args])
        except SystemExit as exc:
            code = exc.code
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, captured.out, captured.err)

    return run


@pytest.fixture
def cli(store_url: str, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    return runner(store_url, capsys)


@pytest.fixture
def sqlite_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """The CLI on SQLite only, for output that does not depend on the database."""
    return runner(f"sqlite:///{tmp_path / 'cli.db'}", capsys)


def ok(result: subprocess.CompletedProcess[str]):  # type: ignore[no-untyped-def]
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def failed(result: subprocess.CompletedProcess[str], code: int, needle: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and needle in result.stderr
    assert "Traceback" not in result.stderr


def test_register_and_transition_print_the_documented_shapes(cli) -> None:  # type: ignore[no-untyped-def]
    register = ("agent", "register", "w1", "--role", "dev", "--format", "json")
    agent = ok(cli(*register, "--skills", "sql,py"))
    assert list(agent) == AGENT_KEYS
    assert (agent["state"], agent["version"], agent["skills"]) == ("ONBOARDING", 1, ["py", "sql"])
    assert ok(cli(*register, "--skills", "py,sql")) == agent
    transition = ("agent", "transition", "w1", "IDLE", "--key", "k1", "--format", "json")
    moved = ok(cli(*transition, "--reason", "ready"))
    assert list(moved) == ["agent", "event", "replayed"] and moved["replayed"] is False
    assert list(moved["agent"]) == AGENT_KEYS and list(moved["event"]) == EVENT_KEYS
    assert (moved["event"]["from_state"], moved["event"]["reason"]) == ("ONBOARDING", "ready")
    assert moved["agent"]["state"] == moved["event"]["to_state"] == "IDLE"
    replayed = ok(cli(*transition))
    assert replayed["replayed"] is True and replayed["event"] == moved["event"]


def test_history_show_and_heartbeat_print_the_documented_shapes(cli) -> None:  # type: ignore[no-untyped-def]
    ok(cli("agent", "register", "w1", "--role", "dev", "--format", "json"))
    moved = ok(cli("agent", "transition", "w1", "IDLE", "--format", "json"))
    history = ok(cli("agent", "history", "w1", "--format", "json"))
    assert [e["to_state"] for e in history] == ["ONBOARDING", "IDLE"]
    assert all(list(e) == EVENT_KEYS for e in history) and history[1] == moved["event"]
    shown = ok(cli("agent", "show", "--format", "json"))
    assert shown == [moved["agent"]]
    assert ok(cli("agent", "show", "w1", "--format", "json")) == shown[0]
    beat = ok(cli("agent", "heartbeat", "w1", "--format", "json"))
    assert beat["heartbeat_at"] is not None and beat["version"] == 2
    assert ok(cli("agent", "verify", "--format", "json"))["ok"] is True


def test_errors_exit_with_the_documented_codes(sqlite_cli) -> None:  # type: ignore[no-untyped-def]
    cli = sqlite_cli
    ok(cli("agent", "register", "w1", "--role", "dev", "--format", "json"))
    failed(cli("agent", "register", "w1", "--role", "ops"), 2, "--update")
    assert (
        ok(cli("agent", "register", "w1", "--role", "ops", "--update", "--format", "json"))["role"]
        == "ops"
    )
    failed(
        cli("agent", "transition", "w1", "PAUSED"),
        2,
        "allowed from ONBOARDING: IDLE, ERROR, OFFLINE, SHUTDOWN",
    )
    failed(cli("agent", "transition", "w1", "OFFLINE"), 2, "reserved for system")
    failed(cli("agent", "transition", "w1", "NAPPING"), 2, "unknown state 'NAPPING'")
    failed(cli("agent", "transition", "ghost", "IDLE"), 2, "unknown agent 'ghost'")
    failed(cli("agent", "history", "ghost"), 2, "unknown agent 'ghost'")
    failed(cli("agent", "transition", "w1", "IDLE", "--expect-version", "4"), 1, "at version 2")
    offline = ok(
        cli("agent", "transition", "w1", "OFFLINE", "--actor", "system", "--format", "json")
    )
    assert offline["event"]["actor"] == "system"
    # never onboarded: its rejoin returns it to onboarding, not past it
    assert ok(cli("agent", "heartbeat", "w1", "--format", "json"))["state"] == "ONBOARDING"
    failed(cli("agent", "register", "bad/id", "--role", "dev"), 2, "not an identifier")


def test_verify_exits_1_with_the_differences_and_rebuild_repairs(cli, store) -> None:  # type: ignore[no-untyped-def]
    from swarmops.store.schema import agents

    ok(cli("agent", "register", "w1", "--role", "dev", "--format", "json"))
    with store.unit() as conn:
        conn.execute(agents.update().values(state="IDLE"))
    result = cli("agent", "verify", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["differences"] == [
        {"agent_id": "w1", "what": "state", "projection": "IDLE", "log": "ONBOARDING"}
    ]
    table = cli("agent", "verify")
    assert table.returncode == 1 and "ONBOARDING" in table.stdout
    rebuilt = cli("agent", "rebuild", "--format", "json")  # it repaired something: exit 1
    assert rebuilt.returncode == 1 and json.loads(rebuilt.stdout) == report
    assert ok(cli("agent", "rebuild", "--format", "json"))["ok"] is True  # nothing left
    assert "log and projection agree: 1 agents, 1 events" in cli("agent", "verify").stdout


def test_table_output_and_the_diagram(sqlite_cli) -> None:  # type: ignore[no-untyped-def]
    cli = sqlite_cli
    registered = cli("agent", "register", "w1", "--role", "dev")
    assert registered.returncode == 0 and "ONBOARD" in registered.stdout
    history = cli("agent", "history", "w1")
    assert history.returncode == 0 and "registered" in history.stdout
    diagram = cli("fsm", "diagram")
    assert diagram.returncode == 0 and diagram.stdout.startswith("stateDiagram-v2\n")
    assert "go_offline (system only)" in diagram.stdout
    failed(cli("fsm", "diagram", "--machine", "missing.yaml"), 2, "cannot read machine")
