"""``swarmops msg`` through its entry point on SQLite and PostgreSQL, and once as a process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from swarmops.cli.app import main
from swarmops.coordination import DELIVERY_FIELDS
from swarmops.store import open_store
from swarmops.store.schema import fencing_rejections
from swarmops.testing import seed_agent


@pytest.fixture
def cli(store, store_url: str, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    """Run ``swarmops --store-url URL …`` in-process against agents a1, a2 (role web)."""
    seed_agent(store, "a1", "web")
    seed_agent(store, "a2", "web")

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        with monkeypatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            with pytest.raises(SystemExit) as exit_:
                main(["--store-url", store_url, *args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, int(exit_.value.code or 0), out, err)

    return run


def ok(result: subprocess.CompletedProcess[str]):  # type: ignore[no-untyped-def]
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_send_recv_ack_with_the_documented_shapes(cli) -> None:
    sent = ok(cli("msg", "send", "--from", "a2", "--to", "a1", "--body", '{"n": 1}', "--key", "k"))
    again = ok(cli("msg", "send", "--from", "a2", "--to", "a1", "--body", '{"n": 1}', "--key", "k"))
    assert again["ids"] == sent["ids"] and again["duplicate"] is True
    [delivery] = ok(cli("msg", "recv", "a1", "--max", "5", "--lease", "60"))
    assert tuple(delivery) == DELIVERY_FIELDS
    assert (delivery["id"], delivery["body"], delivery["lease_token"]) == (
        sent["ids"][0],
        {"n": 1},
        1,
    )
    acked = ok(cli("msg", "ack", str(delivery["id"]), "--token", "1"))
    assert acked["status"] == "acked"
    assert ok(cli("msg", "recv", "a1")) == []


def test_a_key_is_the_sender_s_own(cli) -> None:
    """Two senders using one key string each send; the same sender again gets its first."""
    send = ("msg", "send", "--to", "a1", "--key", "same")
    first = ok(cli(*send, "--from", "a2", "--body", '{"from": "a2"}'))
    other = ok(cli(*send, "--from", "ops", "--body", '{"from": "ops"}'))
    again = ok(cli(*send, "--from", "a2", "--body", '{"from": "a2"}'))
    assert first["ids"] != other["ids"] and not first["duplicate"] and not other["duplicate"]
    assert again == {**first, "duplicate": True}
    delivered = ok(cli("msg", "recv", "a1", "--max", "5"))
    assert [(d["sender"], d["body"]) for d in delivered] == [
        ("a2", {"from": "a2"}),
        ("ops", {"from": "ops"}),
    ]


def test_a_lost_lease_exits_1_and_changes_nothing(cli, store) -> None:
    ok(cli("msg", "send", "--from", "a2", "--role", "web", "--body", "[1]"))
    [first] = ok(cli("msg", "recv", "a1", "--lease", "0.01"))
    time.sleep(0.05)
    [second] = ok(cli("msg", "recv", "a1", "--lease", "60"))
    refused = cli("msg", "ack", str(first["id"]), "--token", str(first["lease_token"]))
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("swarmops: error: message") and refused.stderr.count("\n") == 1
    with store.unit(read_only=True) as unit:  # the refusal itself is kept
        rejected = unit.execute(sa.select(fencing_rejections)).all()
    assert [(r.action, r.token, r.current_token) for r in rejected] == [("ack", 1, 2)]
    nacked = ok(cli("msg", "nack", str(second["id"]), "--token", "2", "--reason", "busy"))
    assert (nacked["status"], nacked["attempts"]) == ("pending", 2)


def test_dead_letters_list_and_replay(cli) -> None:
    limits = {"SWARMOPS_COORDINATION__MAX_ATTEMPTS": "1"}
    ok(cli("msg", "send", "--from", "a1", "--to", "a2", "--body", "{}", **limits))
    [claimed] = ok(cli("msg", "recv", "a2"))
    ok(cli("msg", "nack", str(claimed["id"]), "--token", "1", "--reason", "nope", **limits))
    [dead] = ok(cli("msg", "dead"))
    assert (dead["id"], dead["dead_reason"]) == (claimed["id"], "nacked on attempt 1 of 1: nope")
    replayed = ok(cli("msg", "dead", "--replay", str(dead["id"])))
    assert (replayed["status"], replayed["attempts"]) == ("pending", 0)


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--to", "a1", "--body", '{"x": "0123456789"}'], {"MAX_BODY_BYTES": "10"}, "bytes"),
        (["--to", "a1", "--body", "{not json"], {}, "--body is not JSON"),
        (["--to", "ghost", "--body", "1"], {}, "no agent to receive"),
        (["--to", "a1", "--broadcast", "--body", "1"], {}, "exactly one of"),
        (["--to", "a1", "--priority", "12", "--body", "1"], {}, "0 <= x <= 9"),
    ],
)
def test_bad_sends_exit_2_with_one_line(cli, args, env, message) -> None:
    environ = {f"SWARMOPS_COORDINATION__{k}": v for k, v in env.items()}
    result = cli("msg", "send", "--from", "a2", *args, **environ)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert ok(cli("msg", "recv", "a1")) == []


def test_msg_commands_run_as_a_process_without_heavy_libraries(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bus.db'}"
    seeded = open_store(url, create=True)
    seed_agent(seeded, "a1", "web")
    seeded.dispose()
    probe = (
        "import sys\n"
        "from swarmops.cli.app import main\n"
        "def run(*args):\n"
        "    try:\n"
        f"        main(['--store-url', {url!r}, 'msg', *args])\n"
        "    except SystemExit as exit:\n"
        "        assert exit.code == 0, exit.code\n"
        "run('send', '--from', 'ops', '--to', 'a1', '--body', '{}')\n"
        "run('recv', 'a1')\n"
        "run('ack', '1', '--token', '1')\n"
        "print(sorted({'prefect', 'pandas', 'great_expectations'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert '"status": "acked"' in result.stdout
    assert result.stdout.splitlines()[-1] == "[]"
