"""Report formats of a scan: table (rich), json, sarif, junit and markdown."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

from swarmops.compliance.models import ScanReport


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"


def render(
    report: ScanReport, fmt: ReportFormat, fail_on: str = "major", *, root: Path | None = None
) -> str:
    """The report as text in one format (the table is rendered without colour); ``root``
    is the repository root SARIF paths are relative to (default: the working directory)."""
    if fmt is ReportFormat.json:
        return json.dumps(report.to_json(), indent=2) + "\n"
    if fmt is ReportFormat.sarif:
        from swarmops.compliance.render.sarif import to_sarif

        return json.dumps(to_sarif(report, root), indent=2) + "\n"
    if fmt is ReportFormat.junit:
        from swarmops.compliance.render.junit import to_junit

        return to_junit(report, fail_on)
    if fmt is ReportFormat.markdown:
        from swarmops.compliance.render.markdown import to_markdown

        return to_markdown(report)
    from swarmops.compliance.render.table import table_text

    return table_text(report)
