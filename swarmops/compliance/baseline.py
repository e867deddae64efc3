"""Baselines: today's findings with their values, so a gate fails only on what is new or
got worse, and reports what improved.

Version 2 records each finding's fingerprint and value. A version 1 file (written
when fingerprints still included the severity) is read by recomputing each entry's
fingerprint from its path, rule and symbol; its values are unknown, so its findings
can be known or fixed but never worse.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from swarmops.compliance.fileio import write_atomic
from swarmops.compliance.models import Finding, ScanReport, fingerprint
from swarmops.errors import InvalidDefinition, NotFound

BASELINE_VERSION = 2
READABLE_VERSIONS = (1, 2)
# fingerprint -> the values baselined under it (a multiset: one symbol can repeat)
Baseline = dict[str, list[int | None]]


def write_baseline(report: ScanReport, path: Path) -> int:
    """Write the report's findings atomically (``write_atomic``); return the count."""
    entries = [
        {
            "fingerprint": f.fingerprint,
            "path": f.path,
            "rule": f.rule,
            "symbol": f.symbol,
            "value": f.value,
        }
        for f in report.findings
    ]
    data = {"version": BASELINE_VERSION, "roots": report.roots, "findings": entries}
    write_atomic(path, json.dumps(data, indent=1) + "\n")
    return len(entries)


def load_baseline(path: Path) -> Baseline:
    """The baselined values by fingerprint."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFound(f"baseline not found: {path}") from exc
    except (OSError, ValueError) as exc:
        raise InvalidDefinition(f"{path}: not a baseline file: {exc}") from exc
    version = data.get("version") if isinstance(data, dict) else None
    findings = data.get("findings") if isinstance(data, dict) else None
    if version not in READABLE_VERSIONS or not isinstance(findings, list):
        raise InvalidDefinition(f"{path}: not a swarmops baseline (version 1 or 2)")
    try:
        return _by_fingerprint(findings, version)
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidDefinition(f"{path}: baseline entry without {exc}") from exc


def _by_fingerprint(entries: list[Any], version: int) -> Baseline:
    baseline: Baseline = defaultdict(list)
    seen: dict[tuple[str, str, str | None], int] = {}
    for entry in entries:
        if version == BASELINE_VERSION:
            value = entry.get("value")
            baseline[str(entry["fingerprint"])].append(None if value is None else int(value))
            continue
        key = (str(entry["path"]), str(entry["rule"]), entry.get("symbol"))
        seen[key] = nth = seen.get(key, -1) + 1
        baseline[fingerprint(*key, nth)].append(None)
    return dict(baseline)


def compare_to_baseline(report: ScanReport, baseline: Baseline) -> ScanReport:
    """The report with each finding marked new, known, worse or improved (with the value
    its baseline recorded), and the fixed ones counted."""
    remaining = {key: list(values) for key, values in baseline.items()}
    marked = [_mark(finding, remaining.get(finding.fingerprint)) for finding in report.findings]
    fixed = sum(len(values) for values in remaining.values())
    return report.model_copy(update={"findings": marked, "fixed": fixed})


def _mark(finding: Finding, values: list[int | None] | None) -> Finding:
    if not values:
        return finding.model_copy(update={"status": "new"})
    before = values.pop(0)
    status = "known"
    if before is not None and finding.value != before:
        status = "worse" if finding.value > before else "improved"
    return finding.model_copy(update={"status": status, "baseline_value": before})
