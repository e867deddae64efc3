"""The agent commands from a fresh interpreter: exit codes, and no heavy library loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from swarmops.store import open_store

CONFIG = Path(__file__).resolve().parents[2] / "config" / "swarmops.yaml"
HEAVY = ("prefect", "pandas", "great_expectations")


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SWARMOPS_")}


def test_a_real_process_exits_2_with_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    open_store(url, create=True).dispose()
    command = [sys.executable, "-m", "swarmops", "--config", str(CONFIG), "--store-url", url]
    result = subprocess.run(
        [*command, "agent", "transition", "ghost", "IDLE"],
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == "swarmops: error: unknown agent 'ghost'\n"


CHECK_MODULES = """
import json, sys
from swarmops.cli import main
loaded = {}
for args in json.loads(sys.argv[1]):
    try:
        main(sys.argv[2:] + args)
    except SystemExit as exc:
        assert exc.code == 0, (args, exc.code)
    loaded[args[1]] = [m for m in %r if m in sys.modules]
sys.stderr.write(json.dumps(loaded))
"""


def test_agent_commands_load_no_heavy_library(tmp_path: Path) -> None:
    """Every agent command, run in one fresh interpreter, leaves prefect/pandas/GX unloaded."""
    commands = [
        ["agent", "register", "w1", "--role", "dev"],
        ["agent", "transition", "w1", "IDLE", "--format", "json"],
        ["agent", "heartbeat", "w1"],
        ["agent", "show", "--format", "json"],
        ["agent", "history", "w1"],
        ["agent", "verify"],
        ["agent", "rebuild"],
    ]
    url = f"sqlite:///{tmp_path / 's.db'}"
    open_store(url, create=True).dispose()
    options = ["--config", str(CONFIG), "--store-url", url]
    script = [sys.executable, "-c", CHECK_MODULES % (HEAVY,), json.dumps(commands), *options]
    result = subprocess.run(script, env=environment(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stderr.splitlines()[-1])
    assert loaded == {args[1]: [] for args in commands}
