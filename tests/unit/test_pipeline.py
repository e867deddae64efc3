"""Pure parts of the pipeline domain: desired-state revisions, report rendering, check
aggregation, the file guard and scratch URLs (no store, no Prefect)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from swarmops.errors import InvalidDefinition
from swarmops.fsm import AgentSpec
from swarmops.health import HealthRound, ProbeResult
from swarmops.pipeline import (
    ApplyResult,
    Check,
    DesiredState,
    SloProbe,
    SloReport,
    load_desired,
    validation_report,
)
from swarmops.pipeline.files import restoring
from swarmops.pipeline.queues import desired_queues
from swarmops.pipeline.report import checks_markdown, markdown_table
from swarmops.settings import load_settings
from swarmops.store.scratch import with_search_path
from swarmops.validation import FailedExpectation, SuiteResult
from swarmops.validation import ValidationReport as SuitesReport

CONFIG = Path(__file__).resolve().parents[2] / "config" / "swarmops.yaml"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def desired() -> DesiredState:
    return load_desired(load_settings(CONFIG, environ={}))


def test_the_revision_is_a_stable_digest_of_the_content(desired: DesiredState) -> None:
    again = load_desired(load_settings(CONFIG, environ={}))
    assert again.revision == desired.revision and len(desired.revision) == 64
    restored = DesiredState.from_snapshot(desired.snapshot())
    assert restored == desired and restored.revision == desired.revision
    fewer = desired.model_copy(update={"agents": desired.agents[1:]})
    assert fewer.revision != desired.revision
    assert desired.revision[:12] in desired.markdown()


def test_a_desired_state_refuses_bad_definitions(desired: DesiredState) -> None:
    data = desired.snapshot()
    data["contracts"] = data["contracts"] + data["contracts"][:1]
    with pytest.raises(InvalidDefinition, match="contract\\(s\\) twice: C-101"):
        DesiredState.from_snapshot(data)
    broken = desired.model_copy(update={"rules_text": "rules: [unclosed"})
    with pytest.raises(InvalidDefinition, match=r"v2_rules\.yaml: cannot read rules"):
        broken.rule_set()
    assert desired.rule_set().rules["function-lines"].limit == 30


def test_queues_follow_the_bus_naming() -> None:
    agents = [AgentSpec(id="a", role="web"), AgentSpec(id="b", role="web")]
    assert desired_queues(agents) == {
        "a": "direct",
        "b": "direct",
        "broadcast": "broadcast",
        "role:web": "role",
    }


def test_markdown_tables_escape_pipes_and_put_failures_first() -> None:
    assert markdown_table(("a", "b"), [("x|y", None)]).splitlines()[2] == "| x\\|y |  |"
    text = checks_markdown(
        [Check(name="one", ok=True, reason="fine"), Check(name="two", ok=False, reason="broke")]
    )
    assert text.splitlines()[2] == "| **FAIL** | two | broke |"


def test_an_slo_probe_over_target_fails_with_its_numbers() -> None:
    slow = SloProbe(name="transition", seconds=0.075, target_s=0.050)
    fast = SloProbe(name="progress_update", seconds=0.001, target_s=0.100)
    report = SloReport(probes=(slow, fast))
    assert not report.ok
    assert slow.check().reason == "75.0 ms, over the 50 ms target"
    assert fast.check().ok and "within" in fast.check().reason
    assert "target missed" in report.markdown()


def _probe(target: str, ok: bool, optional: bool = False) -> ProbeResult:
    detail = "" if ok else "refused"
    return ProbeResult(
        target=target, kind="tcp", ok=ok, latency_s=0.01, detail=detail, at=NOW, optional=optional
    )


def test_the_validation_report_names_every_failure() -> None:
    probes = [_probe("store", True), _probe("db", False), _probe("extra", False, True)]
    health = HealthRound(results=probes, ok=False)
    slo = SloReport(probes=(SloProbe(name="transition", seconds=1.0, target_s=0.05),))
    failed = FailedExpectation(
        suite="progress",
        expectation="expect_column_values_to_be_between",
        column="percent",
        unexpected_count=1,
        sample=("140",),
    )
    suites = SuitesReport(
        suites=(
            SuiteResult(name="contracts", rows=5, evaluated=4, success=True),
            SuiteResult(name="progress", rows=9, evaluated=6, success=False, failed=(failed,)),
        )
    )
    report = validation_report(health=health, slo=slo, suites=suites)
    assert report.reason() == (
        "health db: refused; slo transition: 1000.0 ms, over the 50 ms target; "
        "data suite progress: progress: expect_column_values_to_be_between on percent: "
        "1 unexpected (e.g. 140)"
    )
    assert "FAILED (3 check(s))" in report.markdown()
    passing = validation_report(suites=SuitesReport(suites=suites.suites[:1]))
    assert passing.ok and passing.checks[0].reason == "4 expectations held over 5 rows"


def test_a_no_op_apply_lists_no_changes() -> None:
    unchanged = ApplyResult(revision="r" * 64, changed=False)
    assert unchanged.changes() == [] and "already in force" in unchanged.markdown()


def test_the_file_guard_puts_a_file_back(tmp_path: Path) -> None:
    kept, fresh = tmp_path / "kept.json", tmp_path / "fresh.json"
    kept.write_text("before")
    with pytest.raises(RuntimeError), restoring(kept), restoring(fresh):
        kept.write_text("after")
        fresh.write_text("new")
        raise RuntimeError("boom")
    assert kept.read_text() == "before" and not fresh.exists()
    with restoring(kept):
        kept.write_text("after")
    assert kept.read_text() == "after"


def test_a_scratch_url_points_only_at_its_own_schema() -> None:
    url = make_url(
        "postgresql+psycopg://u@h/db?options=-csearch_path%3Dt_1%20-cstatement_timeout%3D5"
    )
    scratch = with_search_path(url, "swarmops_scratch_x")
    assert scratch.query["options"] == "-cstatement_timeout=5 -csearch_path=swarmops_scratch_x"
