"""health-check: probe every target once, store the round, alert on new failures.

Invariant: an unreachable required target never looks healthy: the run fails and a
``swarmops.probe.failed`` event names the target (once per failure episode, not
once a minute). Scheduled every minute. Run ad hoc: ``python -m flows.health_check``.
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
from swarmops.health import HealthRound
from swarmops.health.results import headline
from swarmops.pipeline.report import markdown_table
from tasks import reports
from tasks.health import probe_round

COLUMNS = ("target", "kind", "ok", "latency_s", "detail", "optional")


def _down(found: HealthRound, tolerated: tuple[str, ...]) -> list[str]:
    """Required targets that failed, leaving out the probe kinds the caller tolerates."""
    return [r.target for r in found.results if not (r.ok or r.optional or r.kind in tolerated)]


def check(run: StageRun, tolerated: tuple[str, ...] = ()) -> Step:
    """One probe round: results table, events for newly failing targets, the verdict.
    A store without its schema cannot hold the round: it is then probed, not stored."""
    found = probe_round(run.settings, record=run.store_ready)
    rows = [result.model_dump(mode="json", include=set(COLUMNS)) for result in found.results]
    reports.table("health", rows, "Every probe target's result in the latest round.")
    down = _down(found, tolerated)
    summary = headline(found.results, tolerated)
    if tolerated and _down(found, ()) != down:
        summary += " (the store is reachable; its schema is a gap below)"
    table = markdown_table(COLUMNS, [[reports.cell(c, row[c]) for c in COLUMNS] for row in rows])
    return Step(
        name="health", ok=not down, summary=summary, markdown=f"**Health**: {summary}\n\n{table}"
    )


@flow(name="health-check", flow_run_name=run_name("health-check"))
def health_check(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Probe every target once, store the round, alert on newly failing targets and
    publish the metrics. Fails when a required target is down."""
    with stage_run("health-check", params) as run:
        return run.finish([check(run), metrics_step(run, "health-check")])


if __name__ == "__main__":
    print("\n".join(health_check().lines()))
