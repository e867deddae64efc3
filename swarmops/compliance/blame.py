"""Attribution: who last touched each new finding's def/class line.

One ``git blame --porcelain`` per file (with one ``-L`` range per finding),
never one per finding; a root that is not a git work tree gets no blame.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from swarmops.compliance.models import Blame, Finding, ScanReport


def attribute(report: ScanReport) -> ScanReport:
    """The report with ``blame`` set on each new finding (all findings without a baseline)."""
    wanted: dict[tuple[str, str], set[int]] = defaultdict(set)
    for finding in report.findings:
        if finding.is_new is not False:
            wanted[(finding.root, finding.path)].add(finding.line)
    blamed: dict[tuple[str, str, int], Blame] = {}
    for (root, rel), lines in wanted.items():
        full = Path(root) / rel if Path(root).is_dir() else Path(root)
        for line, blame in blame_lines(full, sorted(lines)).items():
            blamed[(root, rel, line)] = blame
    findings = [_with_blame(f, blamed.get((f.root, f.path, f.line))) for f in report.findings]
    return report.model_copy(update={"findings": findings})


def _with_blame(finding: Finding, blame: Blame | None) -> Finding:
    return finding if blame is None else finding.model_copy(update={"blame": blame})


def blame_lines(path: Path, lines: list[int]) -> dict[int, Blame]:
    """Commit, author and date of each given line of one file (empty outside git)."""
    ranges = [arg for line in lines for arg in ("-L", f"{line},{line}")]
    try:
        done = subprocess.run(
            ["git", "blame", "--porcelain", *ranges, "--", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    return parse_porcelain(done.stdout) if done.returncode == 0 else {}


def parse_porcelain(text: str) -> dict[int, Blame]:
    """Map final line numbers to their commit from ``git blame --porcelain`` output."""
    commits: dict[str, dict[str, str]] = defaultdict(dict)
    line_commit: dict[int, str] = {}
    current = ""
    for row in text.splitlines():
        if row.startswith("\t"):
            continue
        head, _, rest = row.partition(" ")
        if len(head) == 40 and all(c in "0123456789abcdef" for c in head):
            current = head
            line_commit[int(rest.split()[1])] = head
        elif head in ("author", "author-mail", "author-time", "author-tz"):
            commits[current][head] = rest
    return {line: _blame(sha, commits[sha]) for line, sha in line_commit.items()}


def _blame(sha: str, info: dict[str, str]) -> Blame:
    stamp = int(info.get("author-time", "0") or 0)
    date = datetime.fromtimestamp(stamp, UTC).isoformat()
    author = info.get("author", "")
    mail = info.get("author-mail", "")
    return Blame(commit=sha, author=f"{author} {mail}".strip(), date=date)
