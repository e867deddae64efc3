"""Coordination tasks: one assignment pass and one failover sweep per call."""

from __future__ import annotations

from pathlib import Path

from prefect import task

from swarmops import coordination, fsm
from swarmops.coordination.reports import AssignmentReport, FailoverReport
from swarmops.settings import CoordinationSettings
from swarmops.store import Store
from tasks.policy import io_policy


@task(name="assign-work", **io_policy("store", "assignment"))
def assign_work(store: Store, policy: CoordinationSettings) -> AssignmentReport:
    """Give open contracts to the least-loaded capable agents, in one transaction."""
    return coordination.assign(store, policy)


@task(name="failover-sweep", **io_policy("store", "assignment"))
def failover_sweep(
    store: Store, machine_file: Path, policy: CoordinationSettings
) -> FailoverReport:
    """Take agents whose heartbeat stopped offline and reassign their work."""
    return coordination.failover(store, fsm.load_agent_machine(machine_file), policy)
