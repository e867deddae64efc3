"""Pipeline wall time beside Prefect's own floor, every figure measured in this run:

- the pipeline as ``swarmops pipeline run`` (embedded Prefect, a fresh process and an
  initialised store each time), cold (a fresh PREFECT_HOME: Prefect creates its
  database) and warm (the same PREFECT_HOME again);
- a trivial flow of ten tasks, the same way, cold and warm: what any Prefect flow of
  this shape costs here, start-up and drain included;
- the same domain calls the four stages make, without Prefect (fresh process).

Aim (issue 14): the pipeline within 1.25x of the trivial flow, cold and warm.
Run: ``python benchmarks/bench_pipeline.py`` from the repository root.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from swarmops.pipeline import DesiredState
    from swarmops.settings import Settings
    from swarmops.store import Store

ROOT = Path(__file__).resolve().parent.parent
SWARMOPS = str(Path(sys.executable).with_name("swarmops"))
AIM = 1.25
TRIVIAL = """
from deployments.embedded import prepare
prepare()
from prefect import flow, task
from deployments.embedded import recorded

@task
def one(i: int) -> int:
    return i

@flow
def ten() -> int:
    return sum(one(i) for i in range(10))

with recorded():
    ten()
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds of ``command`` in a fresh process; fails loudly if it fails."""
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=900)
    return time.perf_counter() - started


def prefect_env(home: Path) -> dict[str, str]:
    """This environment without any PREFECT_ setting, on a private PREFECT_HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SWARMOPS_"))}
    home.mkdir(parents=True, exist_ok=True)
    quiet = {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    return {**env, **quiet, "PREFECT_HOME": str(home)}


def store(folder: Path, name: str) -> str:
    """A fresh, initialised store (``swarmops init``, not timed)."""
    url = f"sqlite:///{folder / name}.db"
    subprocess.run(
        [SWARMOPS, "--store-url", url, "init"], cwd=ROOT, check=True, capture_output=True
    )
    return url


def cold_and_warm(home: Path, command: Callable[[], list[str]]) -> tuple[float, float]:
    """``command()`` on a fresh PREFECT_HOME, then a new ``command()`` on the same one."""
    env = prefect_env(home)
    return timed(command(), env), timed(command(), env)


def direct(url: str) -> None:
    """The domain calls of the four stages, in order, without Prefect."""
    from swarmops import pipeline
    from swarmops.settings import load_settings
    from swarmops.store import open_store

    settings = load_settings(store_url=url)
    db = open_store(url, migrate=False)
    desired = pipeline.load_desired(settings)
    assess_and_deploy(settings, db, desired)
    validate(settings, db, desired)
    operate(settings, db)
    db.dispose()


def assess_and_deploy(settings: Settings, db: Store, desired: DesiredState) -> None:
    from swarmops import fsm, health, pipeline

    health.check_health(settings, db)
    pipeline.analyse_gaps(db, desired, scan=False)
    pipeline.compliance_delta(desired)
    pipeline.plan_resources(db, fsm.load_agent_machine(settings.fsm))
    pipeline.apply_desired(db, desired, "bench")


def validate(settings: Settings, db: Store, desired: DesiredState) -> None:
    from swarmops import fsm, health, pipeline
    from swarmops.validation import validate_store

    pipeline.run_slo_probes(db, settings)
    pipeline.run_smoke(settings)
    validate_store(db)
    pipeline.compliance_delta(desired)
    health.check_health(settings, db)
    fsm.verify_agents(db, fsm.load_agent_machine(settings.fsm))


def operate(settings: Settings, db: Store) -> None:
    from swarmops import compliance, contracts, coordination, fsm, health, metrics
    from swarmops.store import in_unit

    health.check_health(settings, db)
    machine = fsm.load_agent_machine(settings.fsm)
    in_unit(db, coordination.failover, machine, settings.coordination)
    in_unit(db, coordination.assign, machine, settings.coordination)
    rolled = contracts.summary.rollup_store(db, settings.progress)
    tracks = list(zip(rolled.contracts["id"], rolled.contracts["track"], strict=True))
    in_unit(db, contracts.sync_alerts, tracks)
    report = compliance.scan(list(settings.compliance.roots))
    in_unit(db, compliance.record_run, report, kind="scan")
    built = metrics.store_metrics(db, settings.health.slo)
    metrics.publish_batch(built, settings.metrics, "bench")


def measure(folder: Path) -> dict[str, float]:
    """Every figure, each in its own fresh process."""
    stores = iter(range(100))

    def pipeline_run() -> list[str]:
        return [SWARMOPS, "--store-url", store(folder, f"s{next(stores)}"), "pipeline", "run"]

    trivial = cold_and_warm(folder / "trivial", lambda: [sys.executable, "-c", TRIVIAL])
    piped = cold_and_warm(folder / "pipeline", pipeline_run)
    plain = timed(
        [sys.executable, __file__, "--direct", store(folder, "direct")], os.environ.copy()
    )
    return {
        "trivial_cold": trivial[0],
        "trivial_warm": trivial[1],
        "pipeline_cold": piped[0],
        "pipeline_warm": piped[1],
        "direct": plain,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t = measure(Path(tmp))
    for kind in ("cold", "warm"):
        flows, floor = t[f"pipeline_{kind}"], t[f"trivial_{kind}"]
        ratio = flows / floor
        verdict = "within" if ratio <= AIM else "over"
        print(
            f"{kind}: pipeline {flows:.1f} s | trivial ten-task flow {floor:.1f} s "
            f"| ratio {ratio:.2f}x ({verdict} the {AIM:g}x aim)"
        )
    print(
        f"warm: pipeline {t['pipeline_warm']:.1f} s | same domain work without Prefect "
        f"{t['direct']:.1f} s | ratio {t['pipeline_warm'] / t['direct']:.1f}x"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--direct"]:
        sys.path.insert(0, str(ROOT))
        direct(sys.argv[2])
    else:
        main()
