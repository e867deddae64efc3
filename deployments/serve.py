"""Serve every deployment of prefect.yaml, on the same schedules, in one process.

prefect.yaml is the one deployment manifest; this reads it, so what is served here
(no work pool) and what ``prefect deploy --all`` registers (process work pool) are
built from the same entries: name, description, parameters, tags, cron schedules
with their timezone, the deployment concurrency limit with its collision strategy,
and the event triggers (re-applied by name, so serving twice leaves one automation).
The manifest ships inside the ``deployments`` package and entrypoints are imported
as modules, so ``swarmops serve`` works from an installed package, from any folder.
Flow runs read their settings from the environment (``SWARMOPS_CONFIG``,
``SWARMOPS_STORE_URL``), which ``swarmops serve`` sets.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from swarmops.yaml_strict import load_yaml

MANIFEST = Path(__file__).resolve().with_name("prefect.yaml")


def load_manifest(path: Path = MANIFEST) -> list[dict[str, Any]]:
    """The ``deployments`` list of the manifest."""
    return list(load_yaml(path.read_text(encoding="utf-8"))["deployments"])


def crons(entry: dict[str, Any]) -> list[str]:
    """The cron expressions of one manifest entry (empty: on demand only)."""
    return [schedule["cron"] for schedule in entry.get("schedules") or []]


def load_flow(entrypoint: str) -> Any:
    """The flow of ``flows/health_check.py:health_check``, imported as a module."""
    path, name = entrypoint.split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    return getattr(module, name)


def schedules(entry: dict[str, Any]) -> list[Any]:
    """Cron schedules as ``prefect deploy`` builds them: expression and timezone."""
    from prefect.client.schemas.schedules import CronSchedule

    return [
        CronSchedule(cron=s["cron"], timezone=s.get("timezone"), day_or=s.get("day_or", True))
        for s in entry.get("schedules") or []
    ]


def concurrency(entry: dict[str, Any]) -> Any:
    """The deployment's concurrency limit and collision strategy, if it declares one."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig

    declared = entry.get("concurrency_limit")
    return None if declared is None else ConcurrencyLimitConfig(**declared)


def triggers(entry: dict[str, Any]) -> list[Any]:
    """The entry's event triggers, validated as ``prefect deploy`` validates them."""
    from prefect.events import DeploymentTriggerTypes
    from pydantic import TypeAdapter

    adapter: TypeAdapter[Any] = TypeAdapter(DeploymentTriggerTypes)
    return [adapter.validate_python(spec) for spec in entry.get("triggers") or []]


def runner_deployment(entry: dict[str, Any]) -> Any:
    """One RunnerDeployment for a manifest entry, with everything the entry declares."""
    from prefect.deployments.runner import EntrypointType

    return load_flow(entry["entrypoint"]).to_deployment(
        name=entry["name"],
        schedules=schedules(entry) or None,
        concurrency_limit=concurrency(entry),
        triggers=triggers(entry) or None,
        parameters=entry.get("parameters") or {},
        description=entry.get("description"),
        tags=entry.get("tags") or [],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def runner_deployments(manifest: list[dict[str, Any]]) -> list[Any]:
    """One RunnerDeployment per manifest entry."""
    return [runner_deployment(entry) for entry in manifest]


def serve_all(manifest: list[dict[str, Any]] | None = None) -> None:
    """Serve until interrupted; Ctrl-C stops cleanly and pauses the schedules."""
    from prefect import serve

    serve(*runner_deployments(manifest or load_manifest()), print_starting_message=False)


def serve_here(home: Path, on_ready: Callable[[str], None]) -> None:
    """Serve against PREFECT_API_URL, or against a local server started (and stopped) here,
    draining the outbox into it all along; ``on_ready`` is told the API's URL first.

    Prefect is imported only once PREFECT_API_URL is set: its settings are read at
    import, and without the URL its client would start an ephemeral server of its own.
    """
    import os
    from contextlib import nullcontext

    from deployments.local_server import LocalServer

    given = os.environ.get("PREFECT_API_URL")
    with nullcontext() if given else LocalServer(home) as server:
        if server is not None:
            os.environ.update(PREFECT_API_URL=server.api_url, PREFECT_HOME=str(server.home))
        on_ready(os.environ["PREFECT_API_URL"])
        from deployments.outbox_pump import serve_pumped  # imports Prefect: only now

        serve_pumped(serve_all)


if __name__ == "__main__":
    serve_all()
