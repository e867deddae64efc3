"""failover-sweep: take agents whose heartbeat stopped offline and reassign their work.

Invariant: work is never held by an agent that stopped heartbeating for longer than
``coordination.heartbeat_timeout_s`` after a sweep; each agent taken offline raises one
``swarmops.agent.offline`` event. Scheduled every minute. Run ad hoc:
``python -m flows.failover_sweep``.
"""

from __future__ import annotations

from prefect import flow

from flows._stage import DEFAULTS, FlowParams, StageOutcome, StageRun, Step, stage_run
from swarmops.pipeline.report import bullet_list
from tasks import alerts
from tasks.coordination import failover_sweep as sweep_task


def sweep(run: StageRun) -> Step:
    """One sweep: the agents taken offline, their released work and its reassignment."""
    done = sweep_task(run.store, run.settings.fsm, run.settings.coordination)
    offline = [
        alerts.Alert(
            event=alerts.AGENT_OFFLINE,
            kind="agent",
            resource_id=gone.agent_id,
            message=f"agent {gone.agent_id} offline (last heartbeat {gone.heartbeat_at})",
            payload={"released_contracts": gone.released_contracts},
        )
        for gone in done.offline
    ]
    alerts.send(offline, run.settings.alerts.apprise_url, "swarmops: agent offline")
    summary = f"{done.failovers} agent(s) offline, {done.reassignment.assigned} reassigned"
    lines = [f"{a.resource_id}: {a.message}" for a in offline]
    return Step(name="failover", ok=True, summary=summary,
                markdown=f"**Failover**: {summary}\n\n{bullet_list(lines)}")  # fmt: skip


@flow(name="failover-sweep")
def failover_sweep(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Sweep once."""
    with stage_run("failover-sweep", params) as run:
        return run.finish([sweep(run)])


if __name__ == "__main__":
    print("\n".join(failover_sweep().lines()))
