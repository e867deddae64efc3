"""Agent-state tasks: verify that replaying the event log reproduces the projection."""

from __future__ import annotations

from pathlib import Path

from prefect import task

from swarmops import fsm
from swarmops.fsm import VerifyReport
from tasks.policy import io_policy
from tasks.stores import store_for


@task(name="verify-agents", **io_policy())
def verify_agents(store_url: str, machine_file: Path) -> VerifyReport:
    """Replay every agent's log against the declared machine and compare."""
    return fsm.verify_agents(store_for(store_url), fsm.load_agent_machine(machine_file))
