"""The pipeline brings up a store that was never initialised: assessment reports it as
gaps, deployment creates it (and the PostgreSQL schema its URL names), the later stages
run on it; a failure that cannot heal is not retried."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from flows.assessment import assessment
from flows.pipeline import PipelineParams, pipeline
from swarmops import health
from swarmops.errors import StoreError
from swarmops.store import open_store
from swarmops.store.schema import agents, stage_runs
from tests.conftest import pg_server_url

STAGES = ["assessment", "deployment", "validation", "operations"]


@pytest.fixture
def pg_missing_schema_url() -> Iterator[str]:
    """A PostgreSQL store URL whose search_path names a schema nobody has created."""
    server = pg_server_url()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    separator = "&" if "?" in server else "?"
    yield f"{server}{separator}options={quote(f'-csearch_path={schema}')}"
    admin = sa.create_engine(server)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    admin.dispose()


def stored(url: str) -> tuple[list[tuple[str, str]], int]:
    store = open_store(url, migrate=False)
    try:
        with store.unit(read_only=True) as conn:
            runs = conn.execute(sa.select(stage_runs.c.stage, stage_runs.c.result)).all()
            count = conn.execute(sa.select(sa.func.count()).select_from(agents)).scalar_one()
        return [tuple(row) for row in runs], int(count)
    finally:
        store.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_pipeline_brings_up_a_never_initialised_store(
    backend: str, tmp_path: Path, demo_at: Any, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("pg_missing_schema_url") if backend == "postgresql" else None
    demo = demo_at(tmp_path, url, init=False)
    outcome = pipeline(PipelineParams(**demo.params()))
    assert outcome.failed is None, outcome.reason
    assessed = outcome.stages[0]
    gaps = next(step for step in assessed.steps if step.name == "gaps")
    never = "schema" if backend == "postgresql" else "never initialised"
    assert f"store {never}" in gaps.summary and "migration pending" in gaps.summary
    assert "8 agent missing" in gaps.summary
    applied = outcome.stages[1].steps[0].summary
    assert "change(s)" in applied
    runs, registered = stored(demo.store_url)
    assert registered == 8
    assert [stage for stage, result in runs if result == "completed"] == STAGES[1:]


def test_a_failure_that_cannot_heal_is_tried_once(
    demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def missing_table(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        raise StoreError(f"store {demo.store_url}: no such table: probe_results")

    monkeypatch.setattr(health, "check_health", missing_table)
    state = assessment(demo.params(), return_state=True)
    assert state.is_failed()
    assert "no such table: probe_results" in str(state.message)
    assert len(calls) == 1
