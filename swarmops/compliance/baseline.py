"""Baselines: today's fingerprints, so a gate fails only on what is new."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path

from swarmops.compliance.models import ScanReport
from swarmops.errors import InvalidDefinition, NotFound

BASELINE_VERSION = 1


def write_baseline(report: ScanReport, path: Path) -> int:
    """Write the report's fingerprints (with what they stand for) atomically; return the count."""
    entries = [
        {"fingerprint": f.fingerprint, "path": f.path, "rule": f.rule, "symbol": f.symbol}
        for f in report.findings
    ]
    data = {"version": BASELINE_VERSION, "roots": report.roots, "findings": entries}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
        handle.write("\n")
    os.replace(tmp, path)
    return len(entries)


def load_baseline(path: Path) -> Counter[str]:
    """The fingerprints of a baseline file (a multiset: one symbol can repeat)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFound(f"baseline not found: {path}") from exc
    except (OSError, ValueError) as exc:
        raise InvalidDefinition(f"{path}: not a baseline file: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise InvalidDefinition(f"{path}: not a swarmops baseline (version {BASELINE_VERSION})")
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise InvalidDefinition(f"{path}: not a swarmops baseline (version {BASELINE_VERSION})")
    try:
        return Counter(str(entry["fingerprint"]) for entry in findings)
    except (KeyError, TypeError) as exc:
        raise InvalidDefinition(f"{path}: baseline entry without a fingerprint") from exc


def compare_to_baseline(report: ScanReport, baseline: Counter[str]) -> ScanReport:
    """The report with each finding marked new or known, and the fixed ones counted."""
    remaining = Counter(baseline)
    marked = []
    for finding in report.findings:
        known = remaining[finding.fingerprint] > 0
        if known:
            remaining[finding.fingerprint] -= 1
        marked.append(finding.model_copy(update={"status": "known" if known else "new"}))
    return report.model_copy(update={"findings": marked, "fixed": sum(remaining.values())})
