"""compliance-scan: scan every configured root against the baseline and store the run.

Invariant: a scan never executes scanned code and never fails silently: a new
major-or-worse finding against the baseline raises a
``swarmops.compliance.regressed`` event naming the root and the findings'
fingerprints. Scheduled hourly. Run ad hoc: ``python -m flows.compliance_scan``.
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
from swarmops.compliance import resolve_rules
from swarmops.pipeline.codegate import GATE_SEVERITY
from tasks import reports
from tasks.compliance import record_scan, scan_code

MAX_ROWS = 500  # a violations table bigger than this is for the JSON/SARIF reports


def scan(run: StageRun) -> Step:
    """One scan over every root, stored, with a violations table and regression events."""
    roots = list(run.settings.compliance.roots)
    rules, source = resolve_rules(None, run.settings, roots)
    report = scan_code(roots, rules, run.settings.compliance.baseline)
    run_id = record_scan(run.store_url, report)
    blocking = report.gate(GATE_SEVERITY)
    rows = [finding.to_json() for finding in blocking[:MAX_ROWS]]
    description = f"New {GATE_SEVERITY}+ findings of the scheduled scan against the baseline."
    reports.table("scan-violations", rows, description)
    new = len(report.gate("minor"))
    summary = (
        f"{len(report.files)} files, {len(report.findings)} findings, {new} new "
        f"({len(blocking)} {GATE_SEVERITY}+); rate {report.compliance_rate:.1%} "
        f"(run {run_id}, rules {source})"
    )
    markdown = f"**Compliance scan**: {summary}"
    return Step(name="compliance", ok=True, summary=summary, markdown=markdown)


@flow(name="compliance-scan", flow_run_name=run_name("compliance-scan"))
def compliance_scan(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Scan every configured root against the baseline, store the run, raise a
    regression event for new findings and publish the metrics."""
    with stage_run("compliance-scan", params) as run:
        return run.finish([scan(run), metrics_step(run, "compliance-scan")])


if __name__ == "__main__":
    print("\n".join(compliance_scan().lines()))
