"""Report formats, baselines, fingerprints and blame parsing."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from swarmops.compliance import compare_to_baseline, load_baseline, scan, write_baseline
from swarmops.compliance.blame import parse_porcelain
from swarmops.compliance.models import ScanReport
from swarmops.compliance.render import ReportFormat, render
from swarmops.compliance.render.sarif import to_sarif
from swarmops.errors import InvalidDefinition, NotFound

LONG = "    x = 1\n" * 30
SOURCE = f"def a():\n{LONG}\n\ndef b(p1, p2, p3, p4, p5, p6):\n    pass\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "mod.py").write_text(SOURCE)
    (root / "clean.py").write_text("x = 1\n")
    (root / "broken.py").write_text("def (:\n")
    return root


@pytest.fixture
def report(repo: Path) -> ScanReport:
    return scan([repo], jobs=1)


class TestFormats:
    """Every output format, from the same report."""

    def test_json_has_the_documented_shape(self, report: ScanReport) -> None:
        data = json.loads(render(report, ReportFormat.json))
        assert set(data) == {"roots", "files", "lines", "findings", "summary", "duration_s"}
        assert (data["files"], data["lines"]) == (3, 37)
        keys = {"path", "rule", "severity", "line", "symbol", "value", "limit", "fingerprint"}
        assert all(set(f) - {"message"} == keys for f in data["findings"])
        assert set(data["summary"]) == {"by_rule", "by_severity", "compliance_rate"}
        assert data["summary"]["by_rule"] == {
            "function-lines": 1,
            "function-params": 1,
            "parse-error": 1,
        }
        assert data["summary"]["by_severity"] == {"minor": 1, "major": 2, "critical": 0}
        assert data["summary"]["compliance_rate"] == pytest.approx(1 / 3, abs=1e-6)
        first = data["findings"][0]
        assert (first["path"], first["line"], first["symbol"]) == ("broken.py", 1, None)

    def test_sarif_has_the_structure_github_requires(self, report: ScanReport) -> None:
        sarif = to_sarif(report)
        assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
        [run] = sarif["runs"]
        driver = run["tool"]["driver"]
        assert driver["name"] and driver["version"]
        rule_ids = [rule["id"] for rule in driver["rules"]]
        assert len(rule_ids) == len(set(rule_ids))
        for rule in driver["rules"]:
            assert rule["shortDescription"]["text"] and rule["help"]["text"]
            assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
        assert len(run["results"]) == len(report.findings)
        for result in run["results"]:
            assert result["ruleId"] == rule_ids[result["ruleIndex"]]
            assert result["level"] in {"error", "warning", "note"} and result["message"]["text"]
            [location] = result["locations"]
            physical = location["physicalLocation"]
            assert not physical["artifactLocation"]["uri"].startswith("/")
            assert physical["region"]["startLine"] >= 1
            assert all(isinstance(v, str) for v in result["partialFingerprints"].values())

    def test_sarif_validates_against_github_schema(self, report: ScanReport) -> None:
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(to_sarif(report), GITHUB_SARIF)
        broken = to_sarif(report)
        del broken["runs"][0]["results"][0]["locations"]
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, GITHUB_SARIF)

    def test_junit_has_one_testcase_per_file(self, report: ScanReport) -> None:
        root = ET.fromstring(render(report, ReportFormat.junit))
        suite = root.find("testsuite")
        assert suite is not None and suite.get("tests") == "3" and suite.get("failures") == "2"
        cases = {case.get("name"): case for case in suite.iter("testcase")}
        assert set(cases) == {"broken.py", "clean.py", "mod.py"}
        assert cases["clean.py"].find("failure") is None
        failure = cases["mod.py"].find("failure")
        assert failure is not None and "function-lines" in (failure.text or "")

    def test_markdown_and_table_name_every_finding(self, report: ScanReport) -> None:
        markdown = render(report, ReportFormat.markdown)
        assert markdown.startswith("## swarmops compliance")
        assert "| `mod.py` | 1 | `function-lines` | major | `a` | 31 | 30 |" in markdown
        table = render(report, ReportFormat.table)
        assert "mod.py" in table and "function-params" in table and "compliance rate 33.3%" in table


def _object(required: list[str], **properties: object) -> dict[str, object]:
    return {"type": "object", "required": required, "properties": properties}


TEXT = _object(["text"], text={"type": "string", "minLength": 1})
LEVEL = {"enum": ["none", "note", "warning", "error"]}
# What GitHub code scanning reads from a SARIF upload (docs: "SARIF support for code scanning").
GITHUB_SARIF = _object(
    ["version", "runs"],
    version={"const": "2.1.0"},
    runs={
        "type": "array",
        "minItems": 1,
        "items": _object(
            ["tool", "results"],
            tool=_object(
                ["driver"],
                driver=_object(
                    ["name", "rules"],
                    name={"type": "string"},
                    rules={
                        "type": "array",
                        "items": _object(
                            ["id", "shortDescription", "help", "defaultConfiguration"],
                            id={"type": "string"},
                            shortDescription=TEXT,
                            help=TEXT,
                            defaultConfiguration=_object(["level"], level=LEVEL),
                        ),
                    },
                ),
            ),
            results={
                "type": "array",
                "items": _object(
                    ["ruleId", "message", "locations", "partialFingerprints"],
                    ruleId={"type": "string"},
                    level=LEVEL,
                    message=TEXT,
                    locations={
                        "type": "array",
                        "minItems": 1,
                        "items": _object(
                            ["physicalLocation"],
                            physicalLocation=_object(
                                ["artifactLocation", "region"],
                                artifactLocation=_object(["uri"], uri={"type": "string"}),
                                region=_object(
                                    ["startLine"], startLine={"type": "integer", "minimum": 1}
                                ),
                            ),
                        ),
                    },
                    partialFingerprints={
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                    },
                ),
            },
        ),
    },
)


class TestBaseline:
    """New, known and fixed findings, and the fingerprints behind them."""

    def test_baseline_marks_new_known_and_counts_fixed(self, repo: Path, tmp_path: Path) -> None:
        baseline_file = tmp_path / "baseline.json"
        assert write_baseline(scan([repo], jobs=1), baseline_file) == 3
        (repo / "mod.py").write_text("\n\n# lines moved\n" + SOURCE.replace("p6", "p6, p7"))
        (repo / "broken.py").write_text("x = 1\n")
        (repo / "new.py").write_text(f"def c():\n{LONG}")
        compared = compare_to_baseline(scan([repo], jobs=1), load_baseline(baseline_file))
        status = {(f.path, f.rule): f.status for f in compared.findings}
        assert status == {
            ("mod.py", "function-lines"): "known",
            ("mod.py", "function-params"): "worse",  # 6 parameters became 7
            ("new.py", "function-lines"): "new",
        }
        assert compared.fixed == 1
        assert [f.path for f in compared.gate("major")] == ["new.py"]
        worse = [f for f in compared.gate("minor") if f.status == "worse"]
        assert [(f.value, f.baseline_value) for f in worse] == [(7, 6)]
        assert "worse than its baseline value 6" in worse[0].describe()
        assert compared.gate("never") == []
        summary = compared.summary()
        assert (summary["new"], summary["known"], summary["worse"], summary["fixed"]) == (
            1,
            1,
            1,
            1,
        )

    def test_the_fingerprint_survives_a_change_of_severity(self, repo: Path) -> None:
        before = {f.symbol: f for f in scan([repo], jobs=1).findings}
        (repo / "mod.py").write_text(
            f"def a():\n{LONG * 2}\n\ndef b(p1, p2, p3, p4, p5, p6):\n    pass\n"
        )
        after = {f.symbol: f for f in scan([repo], jobs=1).findings}
        assert after["b"].fingerprint == before["b"].fingerprint  # unrelated edit
        assert (before["a"].severity, after["a"].severity) == ("major", "critical")
        assert after["a"].fingerprint == before["a"].fingerprint  # the same function, worse

    def test_an_improved_finding_passes_and_a_worse_one_fails(
        self, repo: Path, tmp_path: Path
    ) -> None:
        baseline_file = tmp_path / "baseline.json"
        (repo / "mod.py").write_text(f"def a():\n{LONG * 2}\n")  # critical
        write_baseline(scan([repo], jobs=1), baseline_file)
        (repo / "mod.py").write_text(f"def a():\n{LONG}\n")  # cut down to major
        improved = compare_to_baseline(scan([repo], jobs=1), load_baseline(baseline_file))
        [finding] = [f for f in improved.findings if f.symbol == "a"]
        assert (finding.status, finding.severity) == ("improved", "major")
        assert finding.value < finding.baseline_value and improved.gate("minor") == []
        (repo / "mod.py").write_text(f"def a():\n{LONG * 2}    x = 1\n")
        worse = compare_to_baseline(scan([repo], jobs=1), load_baseline(baseline_file))
        assert [(f.status, f.value - f.baseline_value) for f in worse.gate("major")] == [
            ("worse", 1)
        ]

    def test_a_version_1_baseline_still_marks_its_findings_known(
        self, repo: Path, tmp_path: Path
    ) -> None:
        report = scan([repo], jobs=1)
        entries = [
            {"fingerprint": "old", "path": f.path, "rule": f.rule, "symbol": f.symbol}
            for f in report.findings
        ]
        old = tmp_path / "v1.json"
        old.write_text(json.dumps({"version": 1, "roots": report.roots, "findings": entries}))
        compared = compare_to_baseline(report, load_baseline(old))
        assert {f.status for f in compared.findings} == {"known"} and compared.fixed == 0

    def test_gate_without_baseline_counts_every_finding(self, report: ScanReport) -> None:
        assert len(report.gate("critical")) == 0
        assert len(report.gate("major")) == 2
        assert len(report.gate("minor")) == 3

    @pytest.mark.parametrize(
        ("text", "error"),
        [
            ("[]", InvalidDefinition),
            ('{"version": 9}', InvalidDefinition),
            ("{", InvalidDefinition),
        ],
    )
    def test_bad_baseline_files(self, tmp_path: Path, text: str, error: type[Exception]) -> None:
        path = tmp_path / "b.json"
        path.write_text(text)
        with pytest.raises(error):
            load_baseline(path)
        with pytest.raises(NotFound):
            load_baseline(tmp_path / "missing.json")


def test_blame_porcelain_is_parsed_per_line() -> None:
    sha = "a" * 40
    text = (
        f"{sha} 3 10 1\nauthor Agent Seven\nauthor-mail <a7@swarm>\nauthor-time 1700000000\n"
        "author-tz +0000\nsummary add\nfilename m.py\n\tdef f():\n"
        f"{sha} 9 20 1\n\tclass C:\n"
    )
    blamed = parse_porcelain(text)
    assert set(blamed) == {10, 20}
    assert blamed[20].author == "Agent Seven <a7@swarm>" and blamed[20].commit == sha
    assert blamed[10].date.startswith("2023-11-14")
