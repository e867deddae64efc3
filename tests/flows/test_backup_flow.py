"""The backup flow on the demo swarm: create, verify and prune as tasks retried on I/O,
a report with the manifest and the verification, the backup metrics, the operations
stage's backup age; a failed verification fails the run, prunes nothing and is counted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from prefect.client.orchestration import get_client

from flows.backup import backup
from flows.operations import operations
from swarmops.backup import create as create_module
from tasks import backup as backup_tasks
from tasks.policy import RETRIES


def latest_markdown(key: str) -> str:
    with get_client(sync_client=True) as client:
        found = [a for a in client.read_latest_artifacts() if a.key == key]
    assert found, f"no artifact {key}"
    return str(found[0].data)


def metrics(demo: Any) -> dict[str, str]:
    text = (demo.config.parent.parent / "metrics.prom").read_text(encoding="utf-8")
    lines = [line.split(" ", 1) for line in text.splitlines() if not line.startswith("#")]
    return {name: value for name, value in lines if name.startswith("swarmops_backup")}


def keep_only_one(demo: Any) -> None:
    data = yaml.safe_load(demo.config.read_text(encoding="utf-8"))
    data["backup"].update(keep_last=1, keep_daily=0)
    demo.config.write_text(yaml.safe_dump(data), encoding="utf-8")


def backups(demo: Any) -> list[Path]:
    return sorted((demo.config.parent.parent / ".swarmops" / "backups").glob("*.manifest.json"))


def test_each_step_is_a_task_retried_on_io() -> None:
    for task in (backup_tasks.create, backup_tasks.verify, backup_tasks.prune):
        assert task.retries == RETRIES and task.retry_condition_fn is not None


def test_a_backup_run_reports_its_manifest_verification_and_metrics(demo: Any) -> None:
    outcome = backup(demo.params())
    assert [step.name for step in outcome.steps] == ["create", "verify", "prune", "metrics"]
    assert outcome.ok and "checksum ok; agent log replayed (8 agents" in outcome.steps[1].summary
    report = latest_markdown("swarmops-backup-report")
    assert "**Backup** `swarmops-" in report and "| agents | 8 |" in report
    assert "**Verification** passed" in report and "1 kept, 0 pruned" in report
    found = metrics(demo)
    assert float(found["swarmops_backup_last_success_timestamp_seconds"]) > 1.7e9
    assert float(found["swarmops_backup_size_bytes"]) == backups_size(demo)
    assert found["swarmops_backup_verify_failures_total"] == "0.0"
    stage = operations(demo.params())
    (age,) = [step.summary for step in stage.steps if step.name == "backup"]
    assert age.startswith("newest verified backup swarmops-") and "STALE" not in age


def backups_size(demo: Any) -> float:
    (manifest,) = backups(demo)
    data = manifest.with_name(manifest.name.replace(".manifest.json", ".sqlite"))
    return float(data.stat().st_size)


def test_a_failed_verification_fails_the_run_prunes_nothing_and_is_counted(
    demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_only_one(demo)
    assert backup(demo.params()).ok
    monkeypatch.setattr(create_module, "sha256_of", lambda path: "0" * 64)
    state = backup(demo.params(), return_state=True)
    assert state.is_failed() and "verify failed: backup swarmops-" in str(state.message)
    assert "failed verification: checksum: expected 0000" in str(state.message)
    assert len(backups(demo)) == 2  # keep_last is 1, but nothing is pruned after a failure
    report = latest_markdown("swarmops-backup-report")
    assert "**Verification FAILED**" in report and "| checksum | 0000" in report
    assert metrics(demo)["swarmops_backup_verify_failures_total"] == "1.0"
