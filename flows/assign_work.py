"""assign-work: give open contracts to the least-loaded capable agents.

Invariant: a contract is assigned to at most one agent, with a fencing token that
grows, and only to an agent with every required skill and a free slot; a second
run with nothing new assigns nothing. Scheduled every 5 minutes. Run ad hoc:
``python -m flows.assign_work``.
"""

from __future__ import annotations

from prefect import flow

from flows._stage import DEFAULTS, FlowParams, StageOutcome, StageRun, Step, stage_run
from swarmops.pipeline.report import markdown_table
from tasks import reports
from tasks.coordination import assign_work as assign_task


def assign(run: StageRun) -> Step:
    """One assignment pass and its table of assignments and contracts left open."""
    done = assign_task(run.store, run.settings.fsm, run.settings.coordination)
    rows = [
        {"contract": a.contract_id, "agent": a.agent_id, "reason": a.reason, "token": a.token}
        for a in done.assignments
    ] + [{"contract": u.contract_id, "agent": None, "reason": u.reason, "token": None}
         for u in done.unassigned]  # fmt: skip
    reports.table("assignments", rows, "assignments made and contracts left open")
    summary = f"{done.assigned} assigned, {len(done.unassigned)} left open"
    table = markdown_table(("contract", "agent", "reason", "token"), [r.values() for r in rows])
    return Step(name="assignment", ok=True, summary=summary,
                markdown=f"**Assignment**: {summary}\n\n{table}")  # fmt: skip


@flow(name="assign-work")
def assign_work(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Assign once."""
    with stage_run("assign-work", params) as run:
        return run.finish([assign(run)])


if __name__ == "__main__":
    print("\n".join(assign_work().lines()))
