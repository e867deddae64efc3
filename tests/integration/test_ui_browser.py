"""The pipeline as a person sees it: headless Chromium opens the pipeline's flow-run page
and its summary artifact on a real Prefect server (UI on) and finds the run's name, the
stage names and the summary's figures in the rendered page. Skipped with its reason
where Chromium is absent (.ci/run installs it)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from deployments.local_server import LocalServer
from tests.flows.demo import make_demo
from tests.integration.prefect_helpers import api, clean_env

BROWSER = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (found := shutil.which(name))
    ),
    None,
)
pytestmark = [
    pytest.mark.heavy,
    pytest.mark.slow,
    pytest.mark.skipif(BROWSER is None, reason="Chromium is not installed (.ci/run installs it)"),
]
SWARMOPS = Path(sys.executable).with_name("swarmops")
STAGES = ("assessment", "deployment", "validation", "operations")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LocalServer]:
    with LocalServer(tmp_path / "prefect-server", ui=True) as running:
        yield running


def rendered(url: str, profile: Path) -> str:
    """The page's DOM once its scripts have run and its API calls have answered."""
    command = [str(BROWSER), "--headless", "--no-sandbox", "--disable-gpu"]
    command += ["--disable-dev-shm-usage", f"--user-data-dir={profile}"]
    command += ["--virtual-time-budget=60000", "--dump-dom", url]
    return subprocess.run(command, capture_output=True, text=True, timeout=240).stdout


def test_the_pipeline_run_and_its_summary_render_in_the_ui(
    server: LocalServer, tmp_path: Path
) -> None:
    demo = make_demo(tmp_path / "demo")
    command = [str(SWARMOPS), "--config", str(demo.config), "--store-url", demo.store_url]
    env = {**clean_env(), **server.environ()}
    subprocess.run([*command, "pipeline", "run"], env=env, capture_output=True, timeout=600)
    (run,) = api(server, "/flow_runs/filter", {"flows": {"name": {"any_": ["pipeline"]}}})
    key = {"artifacts": {"key": {"any_": ["swarmops-pipeline-summary"]}}}
    (summary,) = api(server, "/artifacts/filter", key)
    run_page = rendered(f"{server.url}/runs/flow-run/{run['id']}", tmp_path / "chrome")
    assert run["name"] in run_page and run["name"].startswith("pipeline 20")
    page = rendered(f"{server.url}/artifacts/artifact/{summary['id']}", tmp_path / "chrome")
    ran = [stage for stage in STAGES if f"| {stage} |" in summary["data"]]
    assert ran and all(stage in page for stage in ran)
    figures = re.findall(r"\d+ (?:gap\(s\)|change\(s\)|checks passed|targets)", summary["data"])
    assert figures and all(figure in page for figure in figures)
