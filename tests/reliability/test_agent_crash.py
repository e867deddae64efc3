"""A writer killed with SIGKILL mid-loop leaves no partial event (both databases)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from swarmops.fsm import (
    AgentSpec,
    agent_history,
    get_agent,
    load_agent_machine,
    register,
    verify_agents,
)
from swarmops.store import Store, in_unit

FSM = Path(__file__).resolve().parents[2] / "config" / "fsm.yaml"
KILLS = 4

WRITER = """
import sys
from swarmops.fsm import get_agent, load_agent_machine, transition
from swarmops.store import in_unit, open_store

url, fsm = sys.argv[1:]
store, machine = open_store(url, migrate=False), load_agent_machine(fsm)
state = get_agent(store, "c0").state
announced = False
while True:
    state = "PAUSED" if state == "IDLE" else "IDLE"
    in_unit(store, transition, machine, "c0", state, reason="crash loop")
    if not announced:
        print("writing", flush=True)
        announced = True
"""


@pytest.mark.slow
def test_sigkill_in_a_transition_loop_leaves_no_partial_event(store: Store, store_url: str) -> None:
    machine = load_agent_machine(FSM)
    in_unit(store, register, machine, AgentSpec(id="c0", role="dev"))
    rng = random.Random(7)
    for _ in range(KILLS):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, store_url, str(FSM)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        time.sleep(rng.uniform(0.05, 0.4))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=60)
        assert writer.returncode == -signal.SIGKILL
        writer.stdout.close()
        writer.stderr.close()  # type: ignore[union-attr]
        agent = get_agent(store, "c0")
        history = agent_history(store, "c0")
        assert agent.version == len(history) and agent.state == history[-1].to_state
        assert verify_agents(store, machine).ok
    assert get_agent(store, "c0").version > 1 + KILLS
