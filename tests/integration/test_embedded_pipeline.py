"""The embedded default end to end: `swarmops pipeline run` in a subprocess, then its
Prefect database: every flow and task run recorded in a final state, no ERROR output."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.flows.demo import make_demo
from tests.integration.prefect_helpers import STAGES, clean_env

SWARMOPS = Path(sys.executable).with_name("swarmops")


@pytest.mark.heavy
def test_the_embedded_pipeline_records_every_run_and_prints_no_error(tmp_path: Path) -> None:
    demo = make_demo(tmp_path)
    command = [str(SWARMOPS), "--config", str(demo.config), "--store-url", demo.store_url]
    done = subprocess.run(
        [*command, "pipeline", "run"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "ERROR" not in output and "Traceback" not in output
    assert [line.split(":")[0] for line in done.stdout.splitlines() if line[:1] != " "] == STAGES
    db = sqlite3.connect(tmp_path / ".swarmops" / "prefect" / "prefect.db")
    query = "select f.name, r.state_type from flow_run r join flow f on f.id = r.flow_id"
    flows = dict(db.execute(query).fetchall())
    assert sorted(flows) == sorted(["pipeline", "assessment", "apply-desired-state", *STAGES[2:]])
    tasks = db.execute("select id, state_type from task_run").fetchall()
    logged = {row[0] for row in db.execute("select distinct task_run_id from log")} - {None}
    assert {state for _, state in tasks} == {"COMPLETED"} and set(flows.values()) == {"COMPLETED"}
    assert logged <= {task_id for task_id, _ in tasks} and len(tasks) >= len(logged) > 20
