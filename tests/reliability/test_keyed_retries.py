"""Concurrent retries of one keyed transition, as separate CLI processes, all get the
first result: exit 0, the same event, one effect (both databases)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from swarmops.fsm import agent_history, load_agent_machine
from swarmops.store import Store
from swarmops.testing import agent_in_state

CONFIG = Path(__file__).resolve().parents[2] / "config"
RETRIES = 4


@pytest.mark.slow
def test_concurrent_retries_of_one_keyed_transition_return_the_first_result(
    store: Store, store_url: str
) -> None:
    agent_in_state(store, load_agent_machine(CONFIG / "fsm.yaml"), "w", "IDLE")
    before = len(agent_history(store, "w"))
    command = [sys.executable, "-m", "swarmops", "--config", str(CONFIG / "swarmops.yaml")]
    command += ["--store-url", store_url, "agent", "transition", "w", "PAUSED"]
    command += ["--key", "k-race", "--format", "json"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SWARMOPS_")}
    runs = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for _ in range(RETRIES)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0] * RETRIES, [err for _, err in outputs]
    results = [json.loads(out) for out, _ in outputs]
    assert len({json.dumps(r["event"], sort_keys=True) for r in results}) == 1
    assert sorted(r["replayed"] for r in results) == [False] + [True] * (RETRIES - 1)
    assert len(agent_history(store, "w")) == before + 1
