"""Checking one file's would-be content against the rules and the baseline, writing nothing.

An agent asks before it saves: the content is measured exactly as a scan of the
repository would measure that file at that path (the same discovery, rules,
profiles and fingerprints, so the baseline applies), in a private temporary
folder that is removed afterwards; the repository, the cache, the baseline and
the store are not touched.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath

from swarmops.compliance.baseline import Baseline, compare_to_baseline
from swarmops.compliance.models import ScanReport
from swarmops.compliance.rules import RuleSet
from swarmops.compliance.scanner import scan
from swarmops.errors import BadInput


def check_source(path: str, content: str, rules: RuleSet, baseline: Baseline | None) -> ScanReport:
    """The findings of ``content`` at repository path ``path``, marked new or known."""
    relative = _relative(path)
    with tempfile.TemporaryDirectory(prefix="swarmops-check-") as folder:
        target = Path(folder, *relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        report = scan([Path(folder)], rules, jobs=1, cache_dir=None)
    report = report.model_copy(update={"roots": ["."]})
    return compare_to_baseline(report, baseline) if baseline is not None else report


def _relative(path: str) -> PurePosixPath:
    """A clean repository-relative path; absolute paths and ``..`` are refused."""
    if any(ord(char) < 32 for char in path):
        raise BadInput("path must not contain control characters")
    cleaned = PurePosixPath(path.replace("\\", "/").removeprefix("./"))
    if cleaned.is_absolute() or ".." in cleaned.parts or not cleaned.parts:
        raise BadInput(f"path must be relative to the repository, not {path!r}")
    return cleaned
