"""SARIF 2.1.0 as GitHub code scanning accepts it: rules with help, results with
locations relative to the repository and partial fingerprints for de-duplication."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from swarmops import __version__
from swarmops.compliance.limits import default_rules
from swarmops.compliance.models import Finding, ScanReport
from swarmops.compliance.rules import FIXED_SEVERITY, RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "major": "error", "minor": "warning"}
INFO_URI = "https://github.com/swarmops/swarmops"


def to_sarif(report: ScanReport) -> dict[str, Any]:
    """One SARIF log with one run; rule order fixes each result's ruleIndex."""
    ids = list(RULES)
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
                "results": [_result(f, ids.index(f.rule)) for f in report.findings],
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


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity.value],
        "message": {"text": f"{finding.describe()} ({finding.severity.value})"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(finding)},
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


def artifact_uri(finding: Finding) -> str:
    """The file as a path relative to the working directory when inside it, else a file URI."""
    root = Path(finding.root or ".")
    full = root / finding.path if root.is_dir() else root
    absolute = full.resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return absolute.as_uri() if os.path.isabs(absolute) else full.as_posix()
