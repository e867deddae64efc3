"""The compliance side of the stages, composed from the scanner's domain API: scan the
desired roots with the desired rules, compare with the baseline, gate on new findings."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from swarmops.compliance import (
    DEFAULT_CACHE_DIR,
    ScanReport,
    compare_to_baseline,
    load_baseline,
    record_run,
    scan,
    write_baseline,
)
from swarmops.pipeline.desired import DesiredState
from swarmops.pipeline.report import Check, markdown_table
from swarmops.store import Unit

GATE_SEVERITY = "major"


class ComplianceDelta(BaseModel):
    """The code against the baseline: counts, and the new findings that block the gate."""

    model_config = ConfigDict(frozen=True)

    roots: tuple[str, ...]
    files: int
    findings: int
    new: int
    known: int
    fixed: int
    baseline: str
    baseline_found: bool
    compliance_rate: float
    duration_s: float
    blocking: tuple[dict[str, object], ...]

    def check(self) -> Check:
        """The gate: fail on any new finding at or above ``major``."""
        if self.blocking:
            first = self.blocking[0]
            where = f"{first['path']}:{first['line']} {first['rule']}"
            return Check(
                name="compliance gate",
                ok=False,
                reason=f"{len(self.blocking)} new {GATE_SEVERITY}+ finding(s), first {where}",
            )
        return Check(name="compliance gate", ok=True, reason=self.summary())

    def summary(self) -> str:
        against = self.baseline if self.baseline_found else f"no baseline at {self.baseline}"
        return (
            f"{self.files} files, {self.findings} findings: {self.new} new, {self.known} known, "
            f"{self.fixed} fixed (against {against})"
        )

    def rows(self) -> list[dict[str, object]]:
        """The blocking findings, for a violations table artifact."""
        return list(self.blocking)

    def markdown(self) -> str:
        parts = [f"**Compliance**: {self.summary()}; rate {self.compliance_rate:.1%}."]
        if self.blocking:
            columns = ("path", "line", "rule", "severity", "symbol", "value", "limit")
            parts.append(markdown_table(columns, [[r[c] for c in columns] for r in self.blocking]))
        return "\n\n".join(parts)


def scan_desired(desired: DesiredState) -> ScanReport:
    """Scan the desired roots with the desired rules (no baseline applied)."""
    return scan(list(desired.compliance_roots), desired.rule_set(), cache_dir=DEFAULT_CACHE_DIR)


def compliance_delta(desired: DesiredState) -> ComplianceDelta:
    """Scan and compare with the baseline file; without one every finding is new."""
    report = scan_desired(desired)
    found = desired.baseline.is_file()
    if found:
        report = compare_to_baseline(report, load_baseline(desired.baseline))
    statuses = [f.status or "new" for f in report.findings]
    blocking = report.gate(GATE_SEVERITY)
    return ComplianceDelta(
        roots=tuple(report.roots),
        files=len(report.files),
        findings=len(report.findings),
        new=statuses.count("new"),
        known=statuses.count("known"),
        fixed=report.fixed or 0,
        baseline=str(desired.baseline),
        baseline_found=found,
        compliance_rate=report.compliance_rate,
        duration_s=report.duration_s,
        blocking=tuple(f.to_json() for f in blocking),
    )


def record_baseline(unit: Unit, report: ScanReport) -> int:
    """Record ``report`` as a ``baseline`` compliance run in the caller's unit."""
    return record_run(unit, report, kind="baseline")


def write_baseline_file(path: Path, report: ScanReport) -> int:
    """Write the baseline file the settings name, creating its folder (applying the desired
    state makes what the settings declare); returns the number of fingerprints."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_baseline(report, path)
