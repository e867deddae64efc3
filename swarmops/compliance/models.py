"""Scan results: frozen findings and the report a scan returns."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from swarmops.compliance.rules import SEVERITY_RANK, Severity

STATUSES = ("new", "known", "worse", "improved")
JSON_KEYS = ("path", "rule", "severity", "line", "symbol", "value", "limit", "fingerprint")


class Blame(BaseModel):
    """Who last touched a finding's def/class line."""

    model_config = ConfigDict(frozen=True)

    commit: str
    author: str
    date: str


class Finding(BaseModel):
    """One rule broken by one file or symbol; ``path`` is relative to ``root``."""

    model_config = ConfigDict(frozen=True)

    path: str
    rule: str
    severity: Severity
    line: int
    symbol: str | None
    value: int
    limit: int
    fingerprint: str
    message: str = Field(default="", exclude=True)
    root: str = Field(default="", exclude=True)
    status: str | None = None  # against a baseline: new, known, worse or improved
    baseline_value: int | None = None  # the value the baseline recorded, when it did
    blame: Blame | None = None

    def to_json(self) -> dict[str, Any]:
        """The documented JSON keys, plus the reason of a finding that carries one (why a
        file could not be measured) and status/blame when a baseline or blame was used."""
        data: dict[str, Any] = {key: getattr(self, key) for key in JSON_KEYS}
        data["severity"] = self.severity.value
        if self.message:
            data["message"] = self.message
        if self.status is not None:
            data["status"] = self.status
        if self.baseline_value is not None:
            data["baseline_value"] = self.baseline_value
        if self.blame is not None:
            data["blame"] = self.blame.model_dump()
        return data

    @property
    def is_new(self) -> bool | None:
        return None if self.status is None else self.status == "new"

    def at_least(self, severity: str) -> bool:
        return SEVERITY_RANK[self.severity.value] >= SEVERITY_RANK[severity]

    def describe(self) -> str:
        """One human sentence for reports."""
        if self.message:
            return self.message
        what = f"{self.symbol}: " if self.symbol else ""
        text = f"{what}{self.rule} {self.value} > {self.limit}"
        if self.status in ("worse", "improved"):
            text += f" ({self.status} than its baseline value {self.baseline_value})"
        return text

    def fails(self, fail_on: str) -> bool:
        """Whether this finding fails a gate at ``fail_on``: new (or no baseline) or worse
        than its baselined value, at or above the severity. An improved one never fails."""
        return self.status in (None, "new", "worse") and self.at_least(fail_on)


def fingerprint(path: str, rule: str, symbol: str | None, nth: int) -> str:
    """Stable across unrelated edits: the path, rule, symbol and the finding's place among
    that symbol's findings of the rule; never its line, severity or value, so a function
    that shrinks from critical to major is the same finding, improved."""
    text = f"{path}\0{rule}\0{symbol or ''}\0{nth}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class ScanReport(BaseModel):
    """What one scan found; ``files`` lists every scanned path relative to its root."""

    model_config = ConfigDict(frozen=True)

    roots: list[str]
    files: list[str]
    lines: int
    findings: list[Finding]
    duration_s: float
    started_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    rules_source: str = "built-in defaults"
    fixed: int | None = None
    cached_files: int = 0

    @property
    def failing_files(self) -> set[tuple[str, str]]:
        """Files with a major or critical finding."""
        return {(f.root, f.path) for f in self.findings if f.at_least("major")}

    @property
    def compliance_rate(self) -> float:
        if not self.files:
            return 1.0
        return round(1 - len(self.failing_files) / len(self.files), 6)

    def summary(self) -> dict[str, Any]:
        by_rule = Counter(f.rule for f in self.findings)
        by_severity = Counter(f.severity.value for f in self.findings)
        data: dict[str, Any] = {
            "by_rule": dict(sorted(by_rule.items())),
            "by_severity": {s.value: by_severity.get(s.value, 0) for s in Severity},
            "compliance_rate": self.compliance_rate,
        }
        if self.fixed is not None:
            statuses = Counter(f.status for f in self.findings)
            for status in STATUSES:
                data[status] = statuses.get(status, 0)
            data["fixed"] = self.fixed
        return data

    def to_json(self) -> dict[str, Any]:
        """The documented JSON document of a scan."""
        return {
            "roots": self.roots,
            "files": len(self.files),
            "lines": self.lines,
            "findings": [finding.to_json() for finding in self.findings],
            "summary": self.summary(),
            "duration_s": round(self.duration_s, 4),
        }

    def gate(self, fail_on: str) -> list[Finding]:
        """The findings that fail a gate at ``fail_on``: new or worse ones, or all without a
        baseline."""
        if fail_on == "never":
            return []
        return [f for f in self.findings if f.fails(fail_on)]
