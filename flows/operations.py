"""operations: the recurring work, once: health, failover, assignment, rollup, scan, metrics.

Invariant: each step is the same code its own scheduled flow runs (health-check,
failover-sweep, assign-work, progress-rollup, compliance-scan), so the stage and the
schedules can never disagree; alerts are evaluated by each step and metrics are
published last. The backup flow runs on its own schedule; this stage reports the age
of the newest verified backup. Run ad hoc: ``python -m flows.operations``.
"""

from __future__ import annotations

from prefect import flow

from flows._stage import DEFAULTS, FlowParams, StageOutcome, metrics_step, run_name, stage_run
from flows.assign_work import assign
from flows.backup import freshness
from flows.compliance_scan import scan
from flows.failover_sweep import sweep
from flows.health_check import check
from flows.progress_rollup import roll_up


@flow(name="operations", flow_run_name=run_name("operations stage"))
def operations(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Every operational step once (health, failover, assignment, rollup, compliance
    scan), in the order their effects build on each other, the newest verified backup's
    age, then the metrics."""
    with stage_run("operations", params) as run:
        steps = [check(run), sweep(run), assign(run), roll_up(run), scan(run), freshness(run)]
        return run.finish([*steps, metrics_step(run, "operations")])


if __name__ == "__main__":
    print("\n".join(operations().lines()))
