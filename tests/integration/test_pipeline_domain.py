"""The stages' domain logic on both databases: gaps, resource planning, the one-transaction
apply (idempotent, all or nothing), rollback, the stage-run log, and the validation checks
(SLO probes and the smoke leave no scratch file or schema behind; the compliance gate)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from swarmops.errors import BadInput, NotFound
from swarmops.fsm import AgentSpec, load_agent_machine, transition
from swarmops.pipeline import (
    SLO_TARGETS,
    DesiredState,
    analyse_gaps,
    apply_desired,
    compliance_delta,
    load_desired,
    plan_resources,
    record_stage_run,
    rollback,
    run_slo_probes,
    run_smoke,
    validation_report,
)
from swarmops.pipeline import apply as apply_module
from swarmops.pipeline import smoke as smoke_module
from swarmops.settings import Settings, load_settings
from swarmops.store import Store, in_unit, open_store
from swarmops.store import scratch as scratch_module
from swarmops.store.migrate import REVISIONS
from swarmops.store.schema import applied_revisions, compliance_runs, queues, stage_runs
from tests.refusals import dump

REPO = Path(__file__).resolve().parents[2]
LONG_FUNCTION = "def long():\n" + "    x = 1\n" * 40 + "    return x\n"


@pytest.fixture
def settings(store_url: str, tmp_path: Path) -> Settings:
    """The demo config, scanning a tiny code folder and keeping its baseline in tmp."""
    code = tmp_path / "code"
    code.mkdir()
    (code / "wide.py").write_text("def wide(a, b, c, d, e, f):\n    return a\n")
    base = load_settings(REPO / "config" / "swarmops.yaml", store_url=store_url, environ={})
    compliance = base.compliance.model_copy(
        update={"roots": [code], "baseline": tmp_path / "baseline.json"}
    )
    return base.model_copy(update={"compliance": compliance})


@pytest.fixture
def desired(settings: Settings) -> DesiredState:
    return load_desired(settings)


def retitled(desired: DesiredState, contract_id: str, title: str) -> DesiredState:
    specs = tuple(
        spec.model_copy(update={"title": title}) if spec.id == contract_id else spec
        for spec in desired.contracts
    )
    return desired.model_copy(update={"contracts": specs})


def backend(store: Store) -> str:
    return store.engine.url.get_backend_name()


def explode(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("injected failure")


@pytest.fixture
def scratch_spy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Temporary files go to a private folder, and every scratch schema name is noted."""
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    schemas: list[str] = []
    original = scratch_module.with_search_path

    def noting(url: URL, schema: str) -> URL:
        schemas.append(schema)
        return original(url, schema)

    monkeypatch.setattr(scratch_module, "with_search_path", noting)
    yield schemas
    assert list(private.iterdir()) == [], "a scratch SQLite folder was left behind"


def assert_schemas_gone(store: Store, schemas: list[str]) -> None:
    assert len(schemas) == (1 if backend(store) == "postgresql" else 0)
    if schemas:
        query = "SELECT schema_name FROM information_schema.schemata WHERE schema_name = ANY(:n)"
        with store.unit(read_only=True) as unit:
            left = unit.execute(sa.text(query), {"n": schemas}).all()
        assert left == []


class TestAssessment:
    """Gap analysis and resource planning."""

    def test_gaps_name_missing_then_nothing_after_apply(
        self, store: Store, desired: DesiredState
    ) -> None:
        before = analyse_gaps(store, desired)
        assert before.agents.missing == tuple(a.id for a in desired.agents)
        assert before.contracts.missing == tuple(c.id for c in desired.contracts)
        assert before.compliance is not None and before.compliance.new == 1
        assert not before.compliance.baseline_found
        assert "broadcast" in before.missing_queues and before.applied_revision is None
        apply_desired(store, desired, "tester")
        after = analyse_gaps(store, desired)
        assert after.in_force and after.rows() == []
        assert after.compliance is not None
        assert (after.compliance.new, after.compliance.known) == (0, 1)
        assert "in sync" in after.markdown()

    def test_gaps_name_drifted_extra_and_pending(self, store: Store, desired: DesiredState) -> None:
        apply_desired(store, desired, "tester")
        changed_agent = desired.agents[0].model_copy(update={"capacity": 9})
        newcomer = AgentSpec(id="agent-99", role="web", capacity=1, skills=("web",))
        kept = tuple(c for c in retitled(desired, "C-101", "New").contracts if c.id != "C-105")
        drifted = retitled(desired, "C-101", "A new title").model_copy(
            update={"agents": (changed_agent, *desired.agents[1:], newcomer), "contracts": kept}
        )
        gaps = analyse_gaps(store, drifted, scan=False)
        assert gaps.agents.missing == ("agent-99",)
        assert [(d.id, d.fields) for d in gaps.agents.drifted] == [("agent-1", ("capacity",))]
        assert [(d.id, d.fields) for d in gaps.contracts.drifted] == [("C-101", ("title",))]
        assert gaps.contracts.extra == ("C-105",)
        assert not gaps.in_sync and gaps.compliance is None
        assert {"kind": "contract", "id": "C-105", "gap": "extra (to remove)"} in gaps.rows()

    def test_gaps_on_an_empty_store_list_the_pending_migration(
        self, store_url: str, desired: DesiredState
    ) -> None:
        empty = open_store(store_url, migrate=False, create=True)  # as the pipeline opens it
        try:
            gaps = analyse_gaps(empty, desired, scan=False)
        finally:
            empty.dispose()
        assert gaps.pending_migrations == REVISIONS
        assert len(gaps.agents.missing) == len(desired.agents)

    def test_resource_plan_recommends_for_short_skills(
        self, store: Store, settings: Settings, desired: DesiredState
    ) -> None:
        apply_desired(store, desired, "tester")
        machine = load_agent_machine(settings.fsm)
        idle = plan_resources(store, machine)
        assert idle.available_agents == 0 and not idle.sufficient
        for agent in desired.agents:
            in_unit(store, transition, machine, agent.id, "IDLE")
        ready = plan_resources(store, machine)
        assert ready.sufficient and ready.recommendations == ("capacity sufficient",)
        assert {row["skills"]: row["open_contracts"] for row in ready.rows()} == {
            "apis, python": 1,
            "dashboards, sql": 1,
        }
        in_unit(store, transition, machine, "agent-1", "PAUSED")
        short = plan_resources(store, machine)
        assert [d.shortfall for d in short.demand] == [1, 0]
        assert [item.contract_id for item in short.unplaceable] == ["C-104"]
        assert short.recommendations == (
            "1 contract(s) needing [apis, python] lack capacity: add 1 agent(s) of role "
            "integration, or bring agent-1 (PAUSED) to IDLE",
        )
        assert "agent-1 (PAUSED)" in short.markdown()


class TestDeployment:
    """One-transaction apply, rollback and the stage-run log."""

    def test_apply_creates_everything_and_twice_changes_nothing(
        self, store: Store, settings: Settings, desired: DesiredState
    ) -> None:
        first = apply_desired(store, desired, "tester")
        assert first.changed and first.agents.registered == tuple(a.id for a in desired.agents)
        assert set(first.contracts.added) == {c.id for c in desired.contracts}
        with store.unit(read_only=True) as unit:
            names = set(unit.scalars(sa.select(queues.c.name)))
            runs = unit.execute(sa.select(compliance_runs.c.kind)).scalars().all()
            revision = unit.execute(sa.select(applied_revisions)).mappings().one()
        assert {"agent-1", "role:quality", "broadcast"} <= names and len(names) == 8 + 8 + 1
        assert runs == ["baseline"]
        assert (revision["revision"], revision["status"]) == (desired.revision, "applied")
        assert DesiredState.from_snapshot(revision["desired"]) == desired
        baseline = settings.compliance.baseline.read_bytes()
        before = dump(store)
        second = apply_desired(store, desired, "tester")
        assert not second.changed and second.changes() == []
        assert dump(store) == before and settings.compliance.baseline.read_bytes() == baseline

    @pytest.mark.parametrize("step", ["record_baseline", "append_revision", "create_queues"])
    def test_a_failure_mid_apply_leaves_store_and_baseline_as_they_were(
        self, store: Store, settings: Settings, desired: DesiredState, monkeypatch, step: str
    ) -> None:
        apply_desired(store, desired, "tester")
        baseline = settings.compliance.baseline.read_bytes()
        before = dump(store)
        newer = retitled(desired, "C-101", "Changed").model_copy(
            update={"agents": (*desired.agents, AgentSpec(id="agent-9", role="web"))}
        )
        target = apply_module.codegate if step == "record_baseline" else apply_module

        monkeypatch.setattr(target, step, explode)
        with pytest.raises(RuntimeError, match="injected"):
            apply_desired(store, newer, "tester")
        assert dump(store) == before
        assert settings.compliance.baseline.read_bytes() == baseline

    def test_a_failed_first_apply_leaves_even_the_schema_out(
        self, store_url: str, settings: Settings, desired: DesiredState, monkeypatch
    ) -> None:
        monkeypatch.setattr(apply_module, "append_revision", explode)
        empty = open_store(store_url, migrate=False, create=True)  # as the pipeline opens it
        try:
            with pytest.raises(RuntimeError, match="injected"):
                apply_desired(empty, desired, "tester")
            assert dump(empty) == {}
        finally:
            empty.dispose()
        assert not settings.compliance.baseline.exists()

    def test_concurrent_applies_wait_for_each_other(
        self, store: Store, desired: DesiredState
    ) -> None:
        versions = [desired, retitled(desired, "C-101", "Concurrent")]
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda d: apply_desired(store, d, "tester"), versions))
        assert all(result.changed for result in results)
        with store.unit(read_only=True) as unit:
            rows = unit.execute(sa.select(applied_revisions.c.revision)).scalars().all()
        assert sorted(rows) == sorted(d.revision for d in versions)

    def test_concurrent_applies_of_one_revision_record_it_once(
        self, store: Store, desired: DesiredState
    ) -> None:
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda _: apply_desired(store, desired, "tester"), range(2)))
        assert sorted(result.changed for result in results) == [False, True]
        with store.unit(read_only=True) as unit:
            rows = unit.scalars(sa.select(applied_revisions.c.revision))
        assert rows == [desired.revision]

    def test_rollback_restores_the_previous_revision(
        self, store: Store, desired: DesiredState
    ) -> None:
        with pytest.raises(NotFound, match="no revision has been applied"):
            rollback(store, "tester")
        apply_desired(store, desired, "tester")
        newer = retitled(desired, "C-101", "Second edition")
        apply_desired(store, newer, "tester")
        assert analyse_gaps(store, desired, scan=False).contracts.drifted
        result = rollback(store, "operator")
        assert (result.rolled_back, result.restored) == (newer.revision, desired.revision)
        assert analyse_gaps(store, desired, scan=False).in_sync
        assert result.apply.contracts.changed == ("C-101",)
        revisions = applied_revisions.c
        query = sa.select(revisions.revision, revisions.status).order_by(revisions.id)
        with store.unit(read_only=True) as unit:
            history = unit.execute(query).all()
        assert [tuple(row) for row in history] == [
            (desired.revision, "applied"),
            (newer.revision, "rolled_back"),
            (desired.revision, "restored"),
        ]
        assert not apply_desired(store, desired, "tester").changed
        with pytest.raises(NotFound, match="only one revision is applied"):
            rollback(store, "tester")
        assert "rolled back" in result.markdown()

    def test_a_failed_rollback_changes_nothing(
        self, store: Store, desired: DesiredState, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        apply_desired(store, desired, "tester")
        apply_desired(store, retitled(desired, "C-101", "Second edition"), "tester")
        before = dump(store)
        monkeypatch.setattr(apply_module, "append_revision", explode)
        with pytest.raises(RuntimeError, match="injected"):
            rollback(store, "tester")
        assert dump(store) == before

    def test_stage_runs_are_recorded(self, store: Store) -> None:
        started = store.now()
        run_id = in_unit(
            store, record_stage_run, "validation", "failed", started, {"reason": "smoke"}
        )
        with store.unit(read_only=True) as unit:
            row = unit.execute(sa.select(stage_runs)).mappings().one()
        assert (row["id"], row["stage"], row["result"]) == (run_id, "validation", "failed")
        assert row["summary"] == {"reason": "smoke"} and row["finished_at"] == started
        with pytest.raises(BadInput, match="stage result"):
            in_unit(store, record_stage_run, "validation", "meh", started, {})


class TestValidation:
    """SLO probes, smoke and the compliance gate."""

    def test_slo_probes_time_each_operation_and_leave_nothing(
        self, store: Store, settings: Settings, scratch_spy: list[str]
    ) -> None:
        report = run_slo_probes(store, settings)
        assert [probe.name for probe in report.probes] == list(SLO_TARGETS)
        assert all(probe.seconds > 0 for probe in report.probes)
        assert [row["target_ms"] for row in report.rows()] == [50, 100, 200, 30000]
        with store.unit(read_only=True) as unit:
            assert sa.inspect(unit.connection).get_table_names()  # the real store is still there...
            assert (
                unit.execute(sa.text("SELECT count(*) FROM agents")).scalar() == 0
            )  # ...untouched
        assert_schemas_gone(store, scratch_spy)

    def test_smoke_passes_and_leaves_nothing(
        self, store: Store, settings: Settings, scratch_spy: list[str]
    ) -> None:
        report = run_smoke(settings)
        assert report.ok, report.markdown()
        assert [check.name for check in report.checks] == [name for name, _ in smoke_module.STEPS]
        assert report.backend == backend(store)
        assert_schemas_gone(store, scratch_spy)

    def test_a_failing_smoke_step_is_named_and_still_cleans_up(
        self,
        store: Store,
        settings: Settings,
        scratch_spy: list[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        def broken(_scratch: object) -> str:
            raise RuntimeError("queue on fire")

        steps = tuple(
            (name, broken if name == "assign" else step) for name, step in smoke_module.STEPS
        )
        monkeypatch.setattr(smoke_module, "STEPS", steps)
        report = run_smoke(settings)
        assert not report.ok
        assert [(c.name, c.ok) for c in report.checks] == [
            ("register agents", True),
            ("apply contract", True),
            ("assign", False),
        ]
        summary = validation_report(smoke=report)
        assert summary.reason() == "smoke: step 'assign' failed: RuntimeError: queue on fire"
        assert_schemas_gone(store, scratch_spy)

    def test_the_gate_fails_only_on_new_major_findings(
        self, store: Store, settings: Settings, desired: DesiredState
    ) -> None:
        unbaselined = compliance_delta(desired)
        assert unbaselined.check().ok  # the one finding is minor (parameters)
        assert (unbaselined.new, unbaselined.baseline_found) == (1, False)
        apply_desired(store, desired, "tester")
        (settings.compliance.roots[0] / "long.py").write_text(LONG_FUNCTION)
        delta = compliance_delta(desired)
        assert (delta.new, delta.known, delta.fixed) == (1, 1, 0)
        check = delta.check()
        assert not check.ok and "long.py:1 function-lines" in check.reason
        assert [row["rule"] for row in delta.rows()] == ["function-lines"]
        assert "function-lines" in delta.markdown()
