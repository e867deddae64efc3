"""Coordination tasks: one assignment pass and one failover sweep per call."""

from __future__ import annotations

from pathlib import Path

from prefect import task

from swarmops import coordination, fsm
from swarmops.coordination.reports import AssignmentReport, FailoverReport
from swarmops.settings import CoordinationSettings
from swarmops.store import in_unit
from tasks.policy import io_policy
from tasks.stores import store_for


@task(name="assign-work", **io_policy())
def assign_work(
    store_url: str, machine_file: Path, policy: CoordinationSettings
) -> AssignmentReport:
    """Give open contracts to the least-loaded capable agents, in one unit of work."""
    machine = fsm.load_agent_machine(machine_file)
    return in_unit(store_for(store_url), coordination.assign, machine, policy)


@task(name="failover-sweep", **io_policy())
def failover_sweep(
    store_url: str, machine_file: Path, policy: CoordinationSettings
) -> FailoverReport:
    """Take agents whose heartbeat stopped offline and reassign their work."""
    machine = fsm.load_agent_machine(machine_file)
    return in_unit(store_for(store_url), coordination.failover, machine, policy)
