"""Our own code meets the V2 rules it enforces (at the default rules, config/v2_rules.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from swarmops.compliance import ScanReport, load_rules, scan

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("swarmops", "flows", "tasks", "deployments", "tests", "benchmarks")


@pytest.fixture(scope="module")
def project_report() -> ScanReport:
    return scan([REPO], load_rules(REPO / "config" / "v2_rules.yaml"), jobs=2)


def test_the_project_scans_clean_at_the_default_rules(project_report: ScanReport) -> None:
    ours = [f for f in project_report.findings if f.path.split("/")[0] in PACKAGES]
    failing = [
        f"{f.path}:{f.line} {f.rule} {f.symbol or ''} {f.value}>{f.limit}"
        for f in ours
        if f.at_least("major")
    ]
    assert failing == []


def test_the_scan_honours_gitignore_and_the_configured_excludes(project_report: ScanReport) -> None:
    files = project_report.files
    assert "swarmops/compliance/scanner.py" in files
    assert "swarmops/store/migrations/versions/0001_initial_schema.py" in files
    assert not any(path.startswith(("tests/fixtures/compliance/", ".venv/")) for path in files)
    assert not any("__pycache__" in path or path.endswith(".pyc") for path in files)
