"""assign-work: give open contracts to the least-loaded capable agents.

Invariant: a contract is assigned to at most one agent, with a fencing token that
grows, and only to an agent with every required skill and a free slot; a second
run with nothing new assigns nothing. Scheduled every 5 minutes. Run ad hoc:
``python -m flows.assign_work``.
"""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows._stage import DEFAULTS, FlowParams, StageOutcome, StageRun, Step, run_name, stage_run
from swarmops.coordination.reports import AssignmentReport
from swarmops.pipeline.report import markdown_table
from tasks import reports
from tasks.coordination import assign_work as assign_task

COLUMNS = ("contract", "agent", "reason", "token")


def assignment_rows(done: AssignmentReport) -> list[dict[str, Any]]:
    """One row per assignment made, then one per contract left open (no agent, no token)."""
    made = [
        {"contract": a.contract_id, "agent": a.agent_id, "reason": a.reason, "token": a.token}
        for a in done.assignments
    ]
    left = [
        {"contract": u.contract_id, "agent": None, "reason": u.reason, "token": None}
        for u in done.unassigned
    ]
    return made + left


def assign(run: StageRun) -> Step:
    """One assignment pass and its table of assignments and contracts left open."""
    done = assign_task(run.store_url, run.settings.fsm, run.settings.coordination)
    rows = assignment_rows(done)
    description = "Contracts given to agents in this pass, and those left open with the reason."
    reports.table("assignments", rows, description)
    made = sum(1 for row in rows if row["agent"])
    summary = f"{made} assigned, {len(rows) - made} left open"
    table = markdown_table(COLUMNS, [row.values() for row in rows])
    markdown = f"**Assignment**: {summary}\n\n{table}"
    return Step(name="assignment", ok=True, summary=summary, markdown=markdown)


@flow(name="assign-work", flow_run_name=run_name("assign-work"))
def assign_work(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Give open contracts to the least-loaded agents with the skills and a free slot."""
    with stage_run("assign-work", params) as run:
        return run.finish([assign(run)])


if __name__ == "__main__":
    print("\n".join(assign_work().lines()))
