"""health-check: probe every target once, store the round, alert on new failures.

Invariant: an unreachable required target never looks healthy: the run fails and a
``swarmops.probe.failed`` event names the target (once per failure episode, not
once a minute). Scheduled every minute. Run ad hoc: ``python -m flows.health_check``.
"""

from __future__ import annotations

from prefect import flow

from flows._stage import DEFAULTS, FlowParams, StageOutcome, StageRun, Step, metrics_step, stage_run
from swarmops.pipeline.report import markdown_table
from tasks import alerts, reports
from tasks.health import probe_round

COLUMNS = ("target", "kind", "ok", "latency_s", "detail", "optional")


def check(run: StageRun) -> Step:
    """One probe round: results table, events for newly failing targets, the verdict."""
    found = probe_round(run.settings, run.store)
    rows = [result.model_dump(mode="json", include=set(COLUMNS)) for result in found.results]
    reports.table("health", rows, "probe results of the latest round")
    raised = [
        alerts.Alert(
            event=alerts.PROBE_FAILED, kind="probe", resource_id=c.target, message=c.message
        )
        for c in found.raised
    ]
    alerts.send(raised, run.settings.alerts.apprise_url, "swarmops: probe failed")
    down = [r.target for r in found.results if not r.ok and not r.optional]
    summary = f"{len(found.results)} targets, " + (f"down: {', '.join(down)}" if down else "all up")
    table = markdown_table(COLUMNS, [[row[c] for c in COLUMNS] for row in rows])
    return Step(
        name="health", ok=found.ok, summary=summary, markdown=f"**Health**: {summary}\n\n{table}"
    )


@flow(name="health-check")
def health_check(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Probe, store, alert, publish metrics."""
    with stage_run("health-check", params) as run:
        return run.finish([check(run), metrics_step(run, "health-check")])


if __name__ == "__main__":
    print("\n".join(health_check().lines()))
