"""The rich table for people: findings grouped by file, then a summary."""

from __future__ import annotations

import io
from itertools import groupby

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from swarmops.compliance.models import ScanReport

STYLES = {"critical": "bold red", "major": "red", "minor": "yellow"}


def print_table(report: ScanReport, console: Console) -> None:
    """Print one table per file with findings, and the summary line."""
    ordered = sorted(report.findings, key=lambda f: (f.root, f.path, f.line))
    for path, group in groupby(ordered, key=lambda f: f.path):
        table = Table(title=escape(path), title_justify="left", show_edge=False)
        for column in ("line", "rule", "severity", "symbol", "value", "limit", "status"):
            table.add_column(
                column, justify="right" if column in ("line", "value", "limit") else "left"
            )
        for f in group:
            severity = f"[{STYLES[f.severity.value]}]{f.severity.value}[/]"
            symbol = escape(f.symbol or f.message)
            table.add_row(
                str(f.line), f.rule, severity, symbol, str(f.value), str(f.limit), f.status or ""
            )
        console.print(table)
    console.print(escape(summary_line(report)), soft_wrap=True)


def summary_line(report: ScanReport) -> str:
    """Files, lines, findings by severity, compliance rate and (with a baseline) new/fixed."""
    summary = report.summary()
    counts = ", ".join(f"{count} {name}" for name, count in summary["by_severity"].items())
    text = (
        f"{len(report.files)} files, {report.lines} lines, {len(report.findings)} findings "
        f"({counts}); compliance rate {summary['compliance_rate']:.1%}; "
        f"{report.duration_s:.2f} s"
    )
    if report.fixed is not None:
        text += f"; {summary['new']} new, {summary['known']} known, {summary['fixed']} fixed"
    return text


def table_text(report: ScanReport) -> str:
    """The table as plain text (no colour), for files and tests."""
    buffer = io.StringIO()
    print_table(report, Console(file=buffer, width=120, color_system=None))
    return buffer.getvalue()
