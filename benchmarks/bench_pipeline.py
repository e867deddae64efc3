"""Pipeline wall time on the demo swarm, beside its floors, all measured in this run:

- the pipeline as ``swarmops pipeline run`` (embedded Prefect, fresh process and store);
- the same domain calls the four stages make, without Prefect (fresh process and store);
- Prefect's own cold start: a one-task flow in a fresh process with a fresh PREFECT_HOME.

Overhead beyond start-up = pipeline - direct - cold start, per stage (target: 1 s).
Run: ``python benchmarks/bench_pipeline.py`` from the repository root.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = 4
COLD_START = "from deployments.embedded import prepare\nprepare()\n" + (
    "from prefect import flow, task\n"
    "@task\ndef one() -> int:\n    return 1\n"
    "@flow\ndef hello() -> int:\n    return one()\n"
    "from deployments.embedded import recorded\n"
    "with recorded():\n    hello()\n"
)


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds of ``command`` in a fresh process; fails loudly if it fails."""
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=900)
    return time.perf_counter() - started


def fresh_env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    quiet = {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    (folder / "prefect").mkdir(parents=True)
    return {**env, **quiet, "PREFECT_HOME": str(folder / "prefect")}


def store(folder: Path, name: str) -> str:
    """A fresh, initialised store (``swarmops init``, not timed)."""
    url = f"sqlite:///{folder / name}.db"
    swarmops = str(Path(sys.executable).with_name("swarmops"))
    subprocess.run(
        [swarmops, "--store-url", url, "init"], cwd=ROOT, check=True, capture_output=True
    )
    return url


def direct(url: str) -> None:
    """The domain calls of the four stages, in order, without Prefect."""
    from swarmops import compliance, contracts, coordination, fsm, health, metrics, pipeline
    from swarmops.settings import load_settings
    from swarmops.store import in_unit, open_store
    from swarmops.validation import validate_store

    settings = load_settings(store_url=url)
    db = open_store(url, migrate=False)
    desired = pipeline.load_desired(settings)
    health.check_health(settings, db)
    pipeline.analyse_gaps(db, desired, scan=False), pipeline.compliance_delta(desired)
    pipeline.plan_resources(db, fsm.load_agent_machine(settings.fsm))
    pipeline.apply_desired(db, desired, "bench")
    pipeline.run_slo_probes(db, settings), pipeline.run_smoke(settings), validate_store(db)
    pipeline.compliance_delta(desired), health.check_health(settings, db)
    machine = fsm.load_agent_machine(settings.fsm)
    fsm.verify_agents(db, machine)
    in_unit(db, coordination.failover, machine, settings.coordination)
    in_unit(db, coordination.assign, machine, settings.coordination)
    rolled = contracts.summary.rollup_store(db, settings.progress)
    tracks = list(zip(rolled.contracts["id"], rolled.contracts["track"], strict=True))
    in_unit(db, contracts.sync_alerts, tracks)
    report = compliance.scan(list(settings.compliance.roots))
    in_unit(db, compliance.record_run, report, kind="scan")
    metrics.publish_batch(metrics.store_metrics(db, settings.health.slo), settings.metrics, "bench")
    db.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # Each Prefect run gets its own fresh PREFECT_HOME, so both pay for creating
        # Prefect's database and the difference is the pipeline's own overhead.
        cold = timed([sys.executable, "-c", COLD_START], fresh_env(folder / "cold"))
        swarmops = str(Path(sys.executable).with_name("swarmops"))
        url = store(folder, "embedded")
        flows = timed([swarmops, "--store-url", url, "pipeline", "run"], fresh_env(folder / "run"))
        env = fresh_env(folder / "direct")
        plain = timed([sys.executable, __file__, "--direct", store(folder, "direct")], env)
    overhead = (flows - plain - cold) / STAGES
    print(f"pipeline wall {flows:.1f} s | same domain work without Prefect {plain:.1f} s "
          f"| ratio {flows / plain:.1f}x")  # fmt: skip
    print(f"prefect cold start {cold:.1f} s | pipeline wall {flows:.1f} s "
          f"| share {cold / flows:.0%}")  # fmt: skip
    print(f"overhead beyond start-up {overhead:.2f} s per stage | target 1.00 s "
          f"| ratio {overhead / 1.0:.2f}x")  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:2] == ["--direct"]:
        sys.path.insert(0, str(ROOT))
        direct(sys.argv[2])
    else:
        main()
