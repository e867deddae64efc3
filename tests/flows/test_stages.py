"""Each stage on the demo swarm: completes, survives a flicker, fails with its reason,
and a failed deployment leaves the store as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from prefect.client.orchestration import get_client

from flows.assessment import assessment
from flows.deployment import apply_desired_state
from flows.pipeline import PipelineParams, pipeline
from flows.validation import validation
from swarmops import health
from swarmops import pipeline as domain
from swarmops.errors import InvalidDefinition, StoreError
from swarmops.store import open_store
from swarmops.store.schema import metadata, outbox, stage_runs

STAGES = ["assessment", "deployment", "validation", "operations"]
BIG_FUNCTION = "def big():\n" + "".join(f"    x{i} = {i}\n" for i in range(80)) + "    return 0\n"


def latest_markdown(key: str) -> str:
    with get_client(sync_client=True) as client:
        artifact = client.read_latest_artifacts()
    found = [a for a in artifact if a.key == key]
    assert found, f"no artifact {key}"
    return str(found[0].data)


def flickering(real: Callable[..., Any], error: Exception) -> Callable[..., Any]:
    """``real``, except that its first call raises ``error``; counts calls."""

    def call(*args: Any, **kwargs: Any) -> Any:
        call.calls += 1  # type: ignore[attr-defined]
        if call.calls == 1:  # type: ignore[attr-defined]
            raise error
        return real(*args, **kwargs)

    call.calls = 0  # type: ignore[attr-defined]
    return call


def table_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    store = open_store(url, migrate=False)
    try:
        with store.unit(read_only=True) as conn:
            return {
                t.name: sorted(map(tuple, conn.execute(sa.select(t)).all()), key=repr)
                for t in metadata.sorted_tables
            }
    finally:
        store.dispose()


@pytest.mark.slow
def test_every_stage_completes_on_the_demo_swarm(demo: Any) -> None:
    outcome = pipeline(PipelineParams(**demo.params()))
    assert outcome.failed is None
    assert [stage.stage for stage in outcome.stages] == STAGES
    assert all(stage.ok for stage in outcome.stages)
    for stage in STAGES:
        assert f"# {stage.capitalize()}: completed" in latest_markdown(f"swarmops-{stage}-report")
    recorded = table_rows(demo.store_url)["stage_runs"]
    assert {(row[1], row[2]) for row in recorded} >= {(s, "completed") for s in STAGES}


def test_a_flickering_probe_and_scan_are_retried(
    demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = flickering(health.check_health, StoreError("database is locked"))
    scan = flickering(domain.compliance_delta, OSError("stale file handle"))
    monkeypatch.setattr(health, "check_health", probe)
    monkeypatch.setattr(domain, "compliance_delta", scan)
    outcome = assessment(demo.params())
    assert outcome.ok
    assert (probe.calls, scan.calls) == (2, 2)


def test_a_failing_gate_fails_validation_with_the_reason(demo: Any) -> None:
    (demo.root / "big.py").write_text(BIG_FUNCTION, encoding="utf-8")
    state = validation(demo.params(), return_state=True)
    assert state.is_failed()
    assert "compliance gate" in str(state.message)
    report = latest_markdown("swarmops-validation-report")
    assert "**FAIL** | compliance gate" in report
    assert "function-lines" in report


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_failure_mid_deployment_leaves_the_store_as_before(
    backend: str, tmp_path: Path, demo_at: Any, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("pg_schema_url") if backend == "postgresql" else None
    demo = demo_at(tmp_path, url)
    monkeypatch = request.getfixturevalue("monkeypatch")
    (tmp_path / "baseline.json").write_text('{"before": true}', encoding="utf-8")
    before = table_rows(demo.store_url)

    def broken(*args: Any, **kwargs: Any) -> list[str]:
        raise InvalidDefinition("queue name rejected")

    monkeypatch.setattr("swarmops.pipeline.apply.create_queues", broken)
    state = apply_desired_state(demo.params(), return_state=True)
    assert state.is_failed()
    after = table_rows(demo.store_url)
    earlier = before.pop(stage_runs.name)
    added = [row[1:3] for row in after.pop(stage_runs.name) if row not in earlier]
    assert added == [("deployment", "failed")]  # the attempt is logged; nothing else changed
    announced = [row[2:5] for row in after.pop(outbox.name) if row not in before.pop(outbox.name)]
    assert announced == [("swarmops.stage.failed", "stage", "deployment")]  # with its event
    assert after == before
    assert (tmp_path / "baseline.json").read_text(encoding="utf-8") == '{"before": true}'
