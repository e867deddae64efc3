"""Markdown for Prefect artifacts and pull-request comments: a summary, counts by
rule and severity, and the findings (new first, capped so a comment stays readable)."""

from __future__ import annotations

from swarmops.compliance.models import Finding, ScanReport

MAX_ROWS = 200


def to_markdown(report: ScanReport, max_rows: int = MAX_ROWS) -> str:
    """The report as GitHub-flavoured Markdown."""
    summary = report.summary()
    lines = [
        "## swarmops compliance",
        "",
        f"**{len(report.files)}** files, **{report.lines}** lines, "
        f"**{len(report.findings)}** findings, compliance rate "
        f"**{summary['compliance_rate']:.1%}** ({report.duration_s:.2f} s)",
    ]
    if report.fixed is not None:
        lines.append(
            f"Against the baseline: **{summary['new']}** new, {summary['known']} known, "
            f"{summary['fixed']} fixed."
        )
    lines += ["", "| severity | count |", "|---|---:|"]
    lines += [f"| {name} | {count} |" for name, count in summary["by_severity"].items()]
    lines += ["", "| rule | count |", "|---|---:|"]
    lines += [f"| `{name}` | {count} |" for name, count in summary["by_rule"].items()]
    if report.findings:
        lines += ["", *_findings_table(report.findings, max_rows)]
    return "\n".join(lines) + "\n"


def _findings_table(findings: list[Finding], max_rows: int) -> list[str]:
    ordered = sorted(findings, key=lambda f: (f.status != "new", -f.severity.rank, f.path))
    rows = ["| file | line | rule | severity | symbol | value | limit | status |"]
    rows.append("|---|---:|---|---|---|---:|---:|---|")
    for f in ordered[:max_rows]:
        symbol = f"`{f.symbol}`" if f.symbol else (_escape(f.message) or "")
        rows.append(
            f"| `{f.path}` | {f.line} | `{f.rule}` | {f.severity.value} | {symbol} "
            f"| {f.value} | {f.limit} | {f.status or ''} |"
        )
    if len(ordered) > max_rows:
        rows.append(f"\n… and {len(ordered) - max_rows} more findings.")
    return rows


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
