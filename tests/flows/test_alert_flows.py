"""The operational flows' alerts reach Prefect as events naming the resource, through
the outbox drain at the end of each run: a dead probe target, and a compliance
regression under a scanned root (raised once while it lasts)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from deployments.local_server import free_port
from flows.compliance_scan import compliance_scan
from flows.health_check import health_check
from tasks import outbox

BIG_FUNCTION = "def big():\n" + "".join(f"    x{i} = {i}\n" for i in range(80)) + "    return 0\n"


@pytest.fixture
def emitted(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(outbox, "emit_event", lambda **event: seen.append(event))
    return seen


def named(events: list[dict[str, Any]], name: str) -> list[str]:
    return [e["resource"]["prefect.resource.id"] for e in events if e["event"] == name]


def test_a_dead_target_fails_the_health_check_and_raises_probe_failed(
    demo: Any, emitted: list[dict[str, Any]]
) -> None:
    probes = demo.config.parent / "health.yaml"
    data = yaml.safe_load(probes.read_text(encoding="utf-8"))
    dead = {"name": "dead-port", "kind": "tcp", "host": "127.0.0.1", "port": free_port()}
    data["probes"].append({**dead, "timeout_s": 1})
    probes.write_text(yaml.safe_dump(data), encoding="utf-8")
    state = health_check(demo.params(), return_state=True)
    assert state.is_failed() and "1 down (dead-port)" in str(state.message)
    assert named(emitted, "swarmops.probe.failed") == ["swarmops.probe.dead-port"]
    assert named(emitted, "swarmops.stage.failed") == ["swarmops.stage.health-check"]


def test_a_new_violation_raises_compliance_regressed_for_its_root(
    demo: Any, emitted: list[dict[str, Any]]
) -> None:
    (demo.root / "big.py").write_text(BIG_FUNCTION, encoding="utf-8")
    outcome = compliance_scan(demo.params())
    assert outcome.ok
    assert named(emitted, "swarmops.compliance.regressed") == [f"swarmops.repository.{demo.root}"]


def test_scheduled_scans_keep_a_cache_and_still_see_a_change(
    demo: Any, emitted: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    assert compliance_scan(demo.params()).ok
    assert list((tmp_path / ".swarmops" / "cache").glob("compliance-*.json"))
    assert named(emitted, "swarmops.compliance.regressed") == []
    (demo.root / "big.py").write_text(BIG_FUNCTION, encoding="utf-8")
    assert compliance_scan(demo.params()).ok
    assert named(emitted, "swarmops.compliance.regressed") == [f"swarmops.repository.{demo.root}"]
    assert compliance_scan(demo.params()).ok  # still there: the open alert is not raised again
    assert len(named(emitted, "swarmops.compliance.regressed")) == 1
