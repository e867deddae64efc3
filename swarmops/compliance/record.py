"""Writing a scan into the store: one compliance_runs row and its findings rows."""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.compliance.models import ScanReport
from swarmops.store import Unit
from swarmops.store.schema import compliance_runs, findings


def record_run(unit: Unit, report: ScanReport, kind: str) -> int:
    """Insert the run and every finding in the caller's unit; return the run id."""
    summary = report.summary()
    run_id = unit.execute(
        sa.insert(compliance_runs).returning(compliance_runs.c.id),
        {
            "kind": kind,
            "roots": report.roots,
            "files": len(report.files),
            "lines": report.lines,
            "compliance_rate": report.compliance_rate,
            "new_findings": summary.get("new"),
            "fixed_findings": report.fixed,
            "duration_s": report.duration_s,
            "started_at": report.started_at,
        },
    ).scalar_one()
    rows = finding_rows(run_id, report)
    if rows:
        unit.execute(sa.insert(findings), rows)
    return int(run_id)


def finding_rows(run_id: int, report: ScanReport) -> list[dict[str, object]]:
    """One ``findings`` row per finding of the report."""
    return [
        {
            "run_id": run_id,
            "path": f.path,
            "rule": f.rule,
            "severity": f.severity.value,
            "line": f.line,
            "symbol": f.symbol,
            "value": f.value,
            "limit": f.limit,
            "fingerprint": f.fingerprint,
            "is_new": f.is_new,
        }
        for f in report.findings
    ]
