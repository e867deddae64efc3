"""Agent-state tasks: verify that replaying the event log reproduces the projection."""

from __future__ import annotations

from pathlib import Path

from prefect import task

from swarmops import fsm
from swarmops.fsm import VerifyReport
from swarmops.store import Store
from tasks.policy import io_policy


@task(name="verify-agents", **io_policy("store"))
def verify_agents(store: Store, machine_file: Path) -> VerifyReport:
    """Replay every agent's log against the declared machine and compare."""
    return fsm.verify_agents(store, fsm.load_agent_machine(machine_file))
