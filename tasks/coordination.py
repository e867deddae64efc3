"""Coordination tasks: one assignment pass and one failover sweep per call."""

from __future__ import annotations

from pathlib import Path

from prefect import task

from swarmops import coordination, fsm
from swarmops.coordination.reports import AssignmentReport, FailoverReport
from swarmops.settings import CoordinationSettings
from swarmops.store import Store, in_unit
from tasks.policy import io_policy


@task(name="assign-work", **io_policy("store", "assignment"))
def assign_work(store: Store, machine_file: Path, policy: CoordinationSettings) -> AssignmentReport:
    """Give open contracts to the least-loaded capable agents, in one unit of work."""
    return in_unit(store, coordination.assign, fsm.load_agent_machine(machine_file), policy)


@task(name="failover-sweep", **io_policy("store", "assignment"))
def failover_sweep(
    store: Store, machine_file: Path, policy: CoordinationSettings
) -> FailoverReport:
    """Take agents whose heartbeat stopped offline and reassign their work."""
    return in_unit(store, coordination.failover, fsm.load_agent_machine(machine_file), policy)
