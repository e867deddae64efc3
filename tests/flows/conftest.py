"""Flow tests: ONE Prefect test harness for the whole session, and a demo swarm per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness

from deployments.embedded import QUIET
from tests.flows.demo import Demo, make_demo

TELEMETRY_OFF = ("PREFECT_SERVER_ANALYTICS_ENABLED", "DO_NOT_TRACK")


@pytest.fixture(scope="session", autouse=True)
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for every flow test (starting one costs seconds)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in TELEMETRY_OFF:  # the harness server inherits them: no heartbeat to Prefect
            patch.setenv(name, QUIET[name])
        with prefect_test_harness(server_startup_timeout=180):
            yield


@pytest.fixture
def demo_at() -> Callable[..., Demo]:
    """The factory: ``demo_at(folder, store_url=None)``."""
    return make_demo


@pytest.fixture
def demo(tmp_path: Path) -> Demo:
    return make_demo(tmp_path)
