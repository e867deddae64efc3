"""JUnit XML: one testcase per scanned file, failing when it has a finding at or
above the gate's severity (new ones only when a baseline was given)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from swarmops.compliance.models import Finding, ScanReport


def to_junit(report: ScanReport, fail_on: str = "major") -> str:
    """One testsuite; each file a testcase, its gated findings one failure element."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[finding.path].append(finding)
    gated = {id(finding) for finding in report.gate(fail_on)}
    suite = ET.Element(
        "testsuite",
        name="swarmops compliance",
        tests=str(len(report.files)),
        time=f"{report.duration_s:.3f}",
    )
    failures = 0
    for path in report.files:
        case = ET.SubElement(suite, "testcase", classname="swarmops.compliance", name=path)
        case.set("file", path)
        found = by_file.get(path, [])
        failing = [f for f in found if id(f) in gated]
        if failing:
            failures += 1
            failure = ET.SubElement(case, "failure", type=failing[0].rule)
            failure.set("message", f"{len(failing)} finding(s) at or above {fail_on}")
            failure.text = "\n".join(_line(f) for f in failing)
        if len(found) > len(failing):
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in found)
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    root = ET.Element("testsuites")
    root.append(suite)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _line(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}: {finding.severity.value} {finding.describe()}"
