"""The thin client: each routed command works through a live gateway and imports neither
SQLAlchemy, pandas nor Prefect (checked with ``python -X importtime``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from gateway_seed import ROOT, LiveGateway

HEAVY = ("sqlalchemy", "pandas", "prefect", "typer")


def _run(live: LiveGateway, *args: str) -> tuple[int, str, set[str]]:
    env = {**os.environ, "SWARMOPS_API_URL": live.url, "SWARMOPS_TOKEN": live.tokens["a1"]}
    command = [sys.executable, "-X", "importtime", "-m", "swarmops", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    modules = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    return done.returncode, done.stdout, {m.split(".")[0] for m in modules}


@pytest.mark.slow
def test_every_routed_command_goes_through_the_gateway_importing_nothing_heavy(
    shared_live: LiveGateway,
) -> None:
    live = shared_live
    code, out, roots = _run(live, "msg", "send", "--from", "a1", "--to", "a1", "--body", '{"x":1}')
    assert code == 0 and json.loads(out)["recipients"] == ["a1"]
    assert not roots & set(HEAVY), roots & set(HEAVY)
    code, out, _ = _run(live, "msg", "recv", "a1", "--max", "1")
    message = json.loads(out)[0]
    calls = [
        ("agent", "show", "a1"),
        ("agent", "heartbeat", "a1"),
        ("agent", "transition", "a1", "PAUSED"),
        ("agent", "transition", "a1", "IDLE"),
        ("msg", "ack", str(message["id"]), "--token", str(message["lease_token"])),
        ("contract", "claim"),
        ("contract", "show", "C-002"),
    ]
    for call in calls:
        code, out, roots = _run(live, *call)
        assert code == 0, (call, out)
        assert not roots & set(HEAVY), (call, roots & set(HEAVY))
    claimed = json.loads(_run(live, "contract", "claim")[1])
    if claimed["contract"] is not None:
        held = [claimed["contract"]["id"], "--agent", "a1", "--token", str(claimed["token"])]
        assert _run(live, "contract", "progress", *held, "--percent", "10")[0] == 0


def test_a_refusal_is_one_line_and_the_cli_exit_code(shared_live: LiveGateway) -> None:
    code, out, _ = _run(shared_live, "agent", "heartbeat", "a2")
    assert code == 2 and out == ""


def test_without_the_gateway_variables_the_command_runs_direct() -> None:
    from swarmops.cli.remote import wants_remote

    both = {"SWARMOPS_API_URL": "http://127.0.0.1:1", "SWARMOPS_TOKEN": "t"}
    assert wants_remote(["agent", "show", "a1"], both)
    assert not wants_remote(["agent", "show", "a1"], {"SWARMOPS_API_URL": "x"})
    assert not wants_remote(["agent", "register", "a1"], both)
    assert not wants_remote(["contract", "apply"], both)


def test_a_body_file_and_stdin_reach_the_gateway(shared_live: LiveGateway, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``--body-file PATH|-``: a 200 KB body, past what one argv string can carry."""
    path = tmp_path / "body.json"
    path.write_text(json.dumps({"blob": "x" * 200_000}), encoding="utf-8")
    send = ("msg", "send", "--from", "a1", "--to", "a2")
    code, out, _ = _run(shared_live, *send, "--body-file", str(path))
    assert code == 0 and json.loads(out)["recipients"] == ["a2"], out
    env = {
        **os.environ,
        "SWARMOPS_API_URL": shared_live.url,
        "SWARMOPS_TOKEN": shared_live.tokens["a1"],
    }
    command = [sys.executable, "-m", "swarmops", *send, "--body-file", "-"]
    piped = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        input='{"x": [1, 2]}',
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert piped.returncode == 0, piped.stderr
