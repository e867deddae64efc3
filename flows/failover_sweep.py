"""failover-sweep: take agents whose heartbeat stopped offline and reassign their work.

Invariant: work is never held by an agent that stopped heartbeating for longer than
``coordination.heartbeat_timeout_s`` after a sweep; each agent taken offline raises one
``swarmops.agent.offline`` event. Scheduled every minute. Run ad hoc:
``python -m flows.failover_sweep``.
"""

from __future__ import annotations

from prefect import flow

from flows._stage import DEFAULTS, FlowParams, StageOutcome, StageRun, Step, run_name, stage_run
from swarmops.pipeline.report import bullet_list
from tasks.coordination import failover_sweep as sweep_task


def sweep(run: StageRun) -> Step:
    """One sweep: the agents taken offline, their released work and its reassignment."""
    settings = run.settings
    done = sweep_task(run.store_url, settings.fsm, settings.coordination)
    summary = f"{done.failovers} agent(s) offline, {done.reassignment.assigned} reassigned"
    lines = [
        f"{gone.agent_id}: offline (last heartbeat {gone.heartbeat_at}), "
        f"released {', '.join(gone.released_contracts) or 'no contracts'}"
        for gone in done.offline
    ]
    markdown = f"**Failover**: {summary}\n\n{bullet_list(lines)}"
    return Step(name="failover", ok=True, summary=summary, markdown=markdown)


@flow(name="failover-sweep", flow_run_name=run_name("failover-sweep"))
def failover_sweep(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Take agents silent past the heartbeat timeout offline and reassign their work."""
    with stage_run("failover-sweep", params) as run:
        return run.finish([sweep(run)])


if __name__ == "__main__":
    print("\n".join(failover_sweep().lines()))
