"""Compliance tasks: one task per scan, reporting progress while it walks the files."""

from __future__ import annotations

from pathlib import Path
from typing import cast
from uuid import UUID

from prefect import task
from prefect.artifacts import create_progress_artifact, update_progress_artifact

from swarmops import compliance
from swarmops.compliance import RuleSet, ScanReport
from swarmops.compliance.regressions import sync_regressions
from swarmops.pipeline.codegate import GATE_SEVERITY
from tasks.policy import io_policy
from tasks.reports import key
from tasks.stores import store_for

PROGRESS_KEY = key("compliance-scan-progress")
PROGRESS_STEP = 10.0  # percent between artifact updates: a few API calls, not one per file


@task(name="compliance-scan", **io_policy())
def scan_code(roots: list[Path], rules: RuleSet, baseline: Path | None) -> ScanReport:
    """Scan every root once, marked against the baseline when the file exists."""
    description = "Share of the configured roots' files the compliance scan has measured."
    artifact = cast(UUID, create_progress_artifact(0.0, key=PROGRESS_KEY, description=description))
    shown = [0.0]

    def report(done: int, total: int) -> None:
        percent = 100.0 * done / total if total else 100.0
        if percent - shown[0] >= PROGRESS_STEP or done == total:
            shown[0] = percent
            update_progress_artifact(artifact, percent)

    found = compliance.scan(roots, rules, cache_dir=compliance.DEFAULT_CACHE_DIR, progress=report)
    if baseline is not None and baseline.is_file():
        found = compliance.compare_to_baseline(found, compliance.load_baseline(baseline))
    return found


@task(name="record-compliance-run", **io_policy())
def record_scan(store_url: str, report: ScanReport) -> int:
    """Store the scan, its findings and its regression alerts in one unit; the run id."""
    with store_for(store_url).unit() as unit:
        run_id = compliance.record_run(unit, report, kind="scan")
        sync_regressions(unit, report, GATE_SEVERITY)
        return int(run_id)
