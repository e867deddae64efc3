"""The living demo: a swarm acting through the agents' own interfaces while the four
stages run, each stage finding and doing real work that the store then shows."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from flows.pipeline import PipelineParams, pipeline
from swarmops.bootstrap import initialise
from swarmops.demo import DemoSwarm, prepare_workspace
from swarmops.demo.actions import Actions
from swarmops.errors import BadInput
from swarmops.fsm import load_agent_machine
from swarmops.store import open_store

CONFIG = Path(__file__).resolve().parents[2] / "config" / "swarmops.yaml"


def step(outcome: object, stage: str, name: str) -> str:
    stages = {s.stage: s for s in outcome.stages}  # type: ignore[attr-defined]
    return next(s.summary for s in stages[stage].steps if s.name == name)


def fallen_silent(swarm: DemoSwarm, timeout_s: float) -> None:
    """Wait until one agent has gone quiet for longer than the heartbeat timeout: on a
    warm Prefect test server the four stages can finish sooner than that, and the
    operations stage would find no one to fail over."""
    deadline = time.monotonic() + 60
    while swarm.silent is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert swarm.silent is not None, "no agent fell silent within a minute"
    time.sleep(timeout_s)


@pytest.mark.slow
def test_every_stage_finds_and_does_real_work_while_the_swarm_acts(tmp_path: Path) -> None:
    workspace = prepare_workspace(tmp_path / "demo", CONFIG)
    settings = workspace.settings()
    initialise(settings)
    swarm = DemoSwarm(settings, workspace.root, duration_s=300).start()
    try:
        fallen_silent(swarm, settings.coordination.heartbeat_timeout_s)
        outcome = pipeline(PipelineParams(config=workspace.config, store_url=workspace.store_url))
    finally:
        swarm.stop()
    assert outcome.failed is None, outcome.reason
    assert step(outcome, "assessment", "gaps").startswith("in sync")  # init made the queues
    assert "change(s)" in step(outcome, "deployment", "apply")
    assert step(outcome, "operations", "failover").startswith("1 agent(s) offline, 1 reassigned")
    assert "1 new (0 major+)" in step(outcome, "operations", "compliance")
    store = open_store(workspace.store_url, migrate=False)
    try:
        seen = Actions(store, load_agent_machine(settings.fsm), settings.coordination).figures()
    finally:
        store.dispose()
    assert seen.agents_onboarded == 8 and seen.claims >= 4
    assert seen.assignments >= 5 and seen.progress_reports > 0
    assert seen.messages_acked > 0 and seen.messages_sent >= seen.messages_acked
    assert (seen.failovers, seen.handoffs, seen.regressions_found) == (1, 1, 1)
    assert swarm.silent is not None and swarm.regressed is not None


def test_the_workspace_is_laid_anew_and_never_over_a_foreign_folder(tmp_path: Path) -> None:
    first = prepare_workspace(tmp_path / "demo", CONFIG)
    (first.root / "left-over.py").write_text("x = 1\n")
    again = prepare_workspace(tmp_path / "demo", CONFIG)
    assert not (again.root / "left-over.py").exists()
    settings = again.settings()
    assert settings.compliance.roots == [again.root]
    assert settings.coordination.heartbeat_timeout_s < 10
    foreign = tmp_path / "mine"
    foreign.mkdir()
    with pytest.raises(BadInput, match="is not a demo workspace"):
        prepare_workspace(foreign, CONFIG)
