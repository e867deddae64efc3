"""SARIF 2.1.0 as GitHub code scanning accepts it: rules with help, results with
locations relative to the repository and partial fingerprints for de-duplication.

Every URI is relative, under the ``%SRCROOT%`` base: relative to the repository root
(``--root``, else the working directory) when the file is inside it, else to the scanned
root the file was found under. A report never carries a machine's absolute paths.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from swarmops import __version__
from swarmops.compliance.limits import default_rules
from swarmops.compliance.models import Finding, ScanReport
from swarmops.compliance.rules import FIXED_SEVERITY, RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "major": "error", "minor": "warning"}
SRCROOT = "%SRCROOT%"
INFO_URI = "https://github.com/swarmops/swarmops"


def to_sarif(report: ScanReport, root: Path | None = None) -> dict[str, Any]:
    """One SARIF log with one run; rule order fixes each result's ruleIndex."""
    ids = list(RULES)
    base = Path(os.path.realpath(root or Path.cwd()))
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "swarmops-compliance",
                        "version": __version__,
                        "informationUri": INFO_URI,
                        "rules": [_rule(rule_id) for rule_id in ids],
                    }
                },
                "results": [_result(f, ids.index(f.rule), base) for f in report.findings],
                "columnKind": "utf16CodeUnits",
            }
        ],
    }


def _rule(rule_id: str) -> dict[str, Any]:
    info = RULES[rule_id]
    defaults = default_rules()
    severity = defaults[rule_id].severity.value if rule_id in defaults else FIXED_SEVERITY[rule_id]
    return {
        "id": rule_id,
        "name": "".join(part.title() for part in rule_id.split("-")),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.help},
        "help": {"text": info.help, "markdown": f"**{info.title}**: {info.help}"},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"tags": ["maintainability", "v2-compliance"]},
    }


def _result(finding: Finding, rule_index: int, base: Path) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity.value],
        "message": {"text": f"{finding.describe()} ({finding.severity.value})"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": artifact_uri(finding, base),
                        "uriBaseId": SRCROOT,
                    },
                    "region": {"startLine": max(1, finding.line)},
                }
            }
        ],
        "partialFingerprints": {"swarmopsFingerprint/v1": finding.fingerprint},
        "properties": {"severity": finding.severity.value, "value": finding.value},
    }
    if finding.status is not None:
        result["baselineState"] = "new" if finding.status == "new" else "unchanged"
    return result


def artifact_uri(finding: Finding, base: Path) -> str:
    """The file relative to ``base`` (a real path) when inside it, else to its scan root,
    percent-encoded as a URI reference."""
    root = Path(os.path.realpath(finding.root or "."))
    full = root / finding.path if root.is_dir() else root
    try:
        relative = full.relative_to(base).as_posix()
    except ValueError:
        relative = finding.path
    return quote(relative)
