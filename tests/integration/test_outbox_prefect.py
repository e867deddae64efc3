"""The outbox drained into a real ``prefect server``: each committed alert arrives as one
Prefect event whose id is the outbox row's UUID, and a drain with no API is refused."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from deployments.local_server import LocalServer
from swarmops.outbox import AlertSpec, raise_alert
from swarmops.store import Store
from swarmops.store.schema import outbox
from tests.integration.prefect_helpers import api, clean_env, wait_for

CONFIG = Path(__file__).resolve().parents[2] / "config" / "swarmops.yaml"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    with LocalServer(tmp_path_factory.mktemp("prefect-outbox")) as running:
        yield running


def outbox_cli(store_url: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "swarmops", "--config", str(CONFIG), "--store-url", store_url]
    return subprocess.run(
        [*command, "outbox", *args], capture_output=True, text=True, env=env, timeout=120
    )


def offline(agent_id: str) -> AlertSpec:
    return AlertSpec(
        kind="agent.offline",
        resource_kind="agent",
        resource_id=agent_id,
        severity="warning",
        message=f"agent {agent_id} stopped heartbeating",
    )


@pytest.mark.heavy
def test_drain_sends_each_alert_once_under_its_outbox_id(
    server: LocalServer, store: Store, store_url: str
) -> None:
    with store.unit() as unit:
        raise_alert(unit, offline("a1"))
        raise_alert(unit, offline("a2"))
    with store.unit(read_only=True) as unit:
        ids = set(unit.scalars(sa.select(outbox.c.event_id)))
    env = clean_env(PREFECT_API_URL=server.api_url, PREFECT_HOME=str(server.home))
    done = outbox_cli(store_url, env, "drain")
    assert (done.returncode, done.stdout.strip()) == (0, "2 event(s) published")
    assert "Traceback" not in done.stderr
    # An event occurred when its cause committed: at the test clock's time, not now.
    when = {"since": "2020-01-01T00:00:00Z", "until": "2100-01-01T00:00:00Z"}
    body = {"filter": {"event": {"name": ["swarmops.agent.offline"]}, "occurred": when}}

    def arrived() -> list[dict[str, object]] | None:
        found = [e for e in api(server, "/events/filter", body)["events"] if e["id"] in ids]
        return found if len(found) == len(ids) else None

    events = wait_for(arrived, 60, "the drained events")
    assert {e["id"] for e in events} == ids
    assert {e["resource"]["prefect.resource.id"] for e in events} >= {
        "swarmops.agent.a1",
        "swarmops.agent.a2",
    }
    assert outbox_cli(store_url, env, "pending").stdout.strip() == "0 pending"


def test_drain_without_a_prefect_api_is_refused(store: Store, store_url: str) -> None:
    with store.unit() as unit:
        raise_alert(unit, offline("a1"))
    refused = outbox_cli(store_url, clean_env(), "drain")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "no Prefect API configured" in refused.stderr
    assert outbox_cli(store_url, clean_env(), "pending").stdout.strip() == "1 pending"
