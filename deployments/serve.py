"""Serve every deployment of prefect.yaml, on the same schedules, in one process.

prefect.yaml is the one deployment manifest; this reads it, so the schedules served
here (no work pool) and those ``prefect deploy --all`` registers (process work pool)
can never drift apart. Flow runs read their settings from the environment
(``SWARMOPS_CONFIG``, ``SWARMOPS_STORE_URL``), which ``swarmops serve`` sets.
Run: ``python deployments/serve.py`` (with PREFECT_API_URL pointing at a server).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "prefect.yaml"


def load_manifest(path: Path = MANIFEST) -> list[dict[str, Any]]:
    """The ``deployments`` list of the manifest."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["deployments"])


def crons(entry: dict[str, Any]) -> list[str]:
    """The cron expressions of one manifest entry (empty: on demand only)."""
    return [schedule["cron"] for schedule in entry.get("schedules") or []]


def runner_deployments(manifest: list[dict[str, Any]]) -> list[Any]:
    """One RunnerDeployment per manifest entry, with its schedule, parameters and tags."""
    from prefect.flows import load_flow_from_entrypoint

    built = []
    for entry in manifest:
        flow: Any = load_flow_from_entrypoint(str(ROOT / entry["entrypoint"]))
        built.append(
            flow.to_deployment(
                name=entry["name"],
                cron=crons(entry) or None,
                parameters=entry.get("parameters") or {},
                description=entry.get("description"),
                tags=entry.get("tags") or [],
            )
        )
    return built


def serve_all(manifest: list[dict[str, Any]] | None = None) -> None:
    """Serve until interrupted; Ctrl-C stops cleanly and pauses the schedules."""
    from prefect import serve

    serve(*runner_deployments(manifest or load_manifest()), print_starting_message=False)


def serve_here(home: Path) -> None:
    """Serve against PREFECT_API_URL, or against a local server started (and stopped) here."""
    import os

    from deployments.local_server import LocalServer

    if os.environ.get("PREFECT_API_URL"):
        serve_all()
        return
    with LocalServer(home) as server:
        os.environ.update(PREFECT_API_URL=server.api_url, PREFECT_HOME=str(server.home))
        serve_all()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    serve_all()
