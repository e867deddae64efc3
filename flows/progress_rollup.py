"""progress-rollup: completion, velocity, ETA and track of every contract; stall alerts.

Invariant: one open alert per contract and condition: a contract that stalls raises
one ``swarmops.contract.stalled`` event (overdue and behind likewise) and a
contract that recovers resolves it. Scheduled every 15 minutes. Run ad hoc:
``python -m flows.progress_rollup``.
"""

from __future__ import annotations

from prefect import flow

from flows._stage import (
    DEFAULTS,
    FlowParams,
    StageOutcome,
    StageRun,
    Step,
    metrics_step,
    run_name,
    stage_run,
)
from swarmops.contracts.rollup import records
from swarmops.pipeline.report import markdown_table
from tasks import reports
from tasks.contracts import rollup, sync_contract_alerts

SHOWN = ("id", "owner", "status", "percent", "eta", "track")


def roll_up(run: StageRun) -> Step:
    """One rollup over every contract, its tables, and the alerts its tracks raise."""
    result = rollup(run.store_url, run.settings.progress)
    contracts = records(result.contracts)
    reports.table("rollup-contracts", contracts, "Each contract's completion, ETA and track.")
    reports.table("rollup-agents", records(result.agents), "Each agent's active and done work.")
    changed = sync_contract_alerts(run.store_url, result)  # their events: the outbox's
    swarm = result.swarm
    summary = (
        f"{swarm.get('contracts', len(contracts))} contracts, "
        f"{swarm.get('completion', 0):g}% complete, {len(changed.raised)} alert(s) raised"
    )
    table = markdown_table(SHOWN, [[row.get(c) for c in SHOWN] for row in contracts])
    markdown = f"**Progress rollup**: {summary}\n\n{table}"
    return Step(name="rollup", ok=True, summary=summary, markdown=markdown)


@flow(name="progress-rollup", flow_run_name=run_name("progress-rollup"))
def progress_rollup(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Roll up every contract's progress, raise or resolve its alerts, publish metrics."""
    with stage_run("progress-rollup", params) as run:
        return run.finish([roll_up(run), metrics_step(run, "progress-rollup")])


if __name__ == "__main__":
    print("\n".join(progress_rollup().lines()))
