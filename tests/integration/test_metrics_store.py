"""Metrics built from real stores: every metric of DESIGN.md, each with the stored value,
and a /metrics server that reads the store afresh on every scrape."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families

from swarmops.coordination import SendRequest, dead_letters, reap, replay, send
from swarmops.health import ProbeResult, record_round
from swarmops.metrics import serve_store_metrics, store_metrics
from swarmops.settings import CoordinationSettings, HealthSettings, MetricsSettings, Settings
from swarmops.store import Store, in_unit, open_store
from swarmops.store import schema as t
from swarmops.testing import seed_agent

DESIGN_METRICS = (
    "swarmops_agents",
    "swarmops_fsm_transitions_total",
    "swarmops_fsm_transition_seconds",
    "swarmops_contract_progress_ratio",
    "swarmops_contracts",
    "swarmops_contracts_stalled",
    "swarmops_messages_pending",
    "swarmops_messages_dead",
    "swarmops_messages_dead_lettered_total",
    "swarmops_compliance_violations",
    "swarmops_compliance_rate",
    "swarmops_compliance_scan_seconds",
    "swarmops_probe_success",
    "swarmops_probe_duration_seconds",
    "swarmops_stage_runs_total",
)

# (metric, labels, value) that the seeded store must produce.
EXPECTED: tuple[tuple[str, dict[str, str], float], ...] = (
    ("swarmops_agents", {"state": "IDLE"}, 2),
    ("swarmops_agents", {"state": "OFFLINE"}, 1),
    ("swarmops_fsm_transitions_total", {"from_state": "none", "to_state": "ONBOARDING"}, 2),
    ("swarmops_fsm_transitions_total", {"from_state": "ONBOARDING", "to_state": "IDLE"}, 1),
    ("swarmops_fsm_transition_seconds_count", {}, 1),
    ("swarmops_contract_progress_ratio", {"contract": "C-1"}, 0.4),
    ("swarmops_contracts", {"status": "OPEN"}, 1),
    ("swarmops_contracts_stalled", {}, 1),
    ("swarmops_messages_pending", {"queue": "q1"}, 2),
    ("swarmops_messages_pending", {"queue": "q2"}, 1),
    ("swarmops_messages_dead", {}, 1),
    ("swarmops_messages_dead_lettered_total", {}, 3),
    ("swarmops_compliance_violations", {"rule": "function-lines", "severity": "major"}, 2),
    ("swarmops_compliance_violations", {"rule": "file-lines", "severity": "critical"}, 1),
    ("swarmops_compliance_rate", {}, 0.9),
    ("swarmops_compliance_scan_seconds", {}, 1.5),
    ("swarmops_probe_success", {"target": "web"}, 1),
    ("swarmops_probe_duration_seconds", {"target": "web"}, 0.05),
    ("swarmops_probe_uptime_ratio", {"target": "web", "window": "1h"}, 0.5),
    ("swarmops_stage_runs_total", {"stage": "assessment", "result": "ok"}, 2),
    ("swarmops_stage_runs_total", {"stage": "validation", "result": "failed"}, 1),
    ("swarmops_assignments_total", {"reason": "failover"}, 1),
)


def _swarm_rows(now: datetime) -> dict[sa.Table, list[dict[str, Any]]]:
    """Agents and their events, contracts, progress and assignments."""
    stamp = {"created_at": now, "updated_at": now}
    agent = {"role": "dev", "version": 1, "skills": [], **stamp}
    contract = {"title": "c", "priority": "high", "required_skills": [], "tags": [], **stamp}
    states = (("a1", "IDLE"), ("a2", "IDLE"), ("a3", "OFFLINE"))
    events = (("a1", 1, None, "ONBOARDING"), ("a2", 1, None, "ONBOARDING"))
    events += (("a1", 2, "ONBOARDING", "IDLE"),)
    assigned = ((1, "a1", "assign"), (2, "a2", "failover"))
    return {
        t.agents: [{"id": i, "state": s, **agent} for i, s in states],
        t.agent_events: [
            {"agent_id": a, "seq": n, "from_state": f, "to_state": to, "actor": "t", "at": now}
            for a, n, f, to in events
        ],
        t.contracts: [
            {"id": c, "status": s, "version": 1, "spec_hash": "h", **contract}
            for c, s in (("C-1", "IN_PROGRESS"), ("C-2", "OPEN"))
        ],
        t.progress_events: [{"contract_id": "C-1", "agent_id": "a1", "percent": 40.0, "at": now}],
        t.assignments: [
            {"contract_id": "C-1", "agent_id": a, "fence_token": n, "reason": r, "at": now}
            for n, a, r in assigned
        ],
    }


def _ops_rows(now: datetime) -> dict[sa.Table, list[dict[str, Any]]]:
    """Messages in every status, one open and one resolved stall alert, stage runs."""
    stamp = {"created_at": now, "updated_at": now, "visible_at": now}
    message = {"sender": "a1", "recipient": "a2", "body": {}, "max_attempts": 5, **stamp}
    alert = {"kind": "contract.stalled", "resource_kind": "contract", "severity": "major"}
    alert |= {"message": "stalled", "raised_at": now}
    queued = (("q1", "pending"), ("q1", "leased"), ("q2", "pending"))
    queued += (("q1", "dead"), ("q1", "acked"))
    runs = (("assessment", "ok"), ("assessment", "ok"), ("validation", "failed"))
    return {
        # the acked one was dead twice and replayed: dead_count keeps both moves
        t.messages: [
            {"queue": q, "status": s, "dead_count": {"dead": 1, "acked": 2}.get(s, 0), **message}
            for q, s in queued
        ],
        t.alerts: [
            {"resource_id": "C-1", "resolved_at": None, **alert},
            {"resource_id": "C-2", "resolved_at": now, **alert},
        ],
        t.stage_runs: [{"stage": st, "result": r, "started_at": now} for st, r in runs],
    }


def _scans(connection: sa.Connection, now: datetime) -> None:
    """An older scan at 50% and the latest at 90% with three findings."""
    run = {"kind": "scan", "roots": ["."], "files": 10, "lines": 900, "duration_s": 1.5}
    older = {"compliance_rate": 0.5, "started_at": now - timedelta(hours=1)}
    connection.execute(sa.insert(t.compliance_runs).values(**run, **older))
    latest = connection.execute(
        sa.insert(t.compliance_runs)
        .values(**run, compliance_rate=0.9, started_at=now)
        .returning(t.compliance_runs.c.id)
    ).scalar_one()
    finding = {"run_id": latest, "path": "a.py", "line": 1, "value": 40, "limit": 30}
    found = (("function-lines", "major"), ("function-lines", "major"), ("file-lines", "critical"))
    connection.execute(
        sa.insert(t.findings),
        [
            {"rule": r, "severity": s, "fingerprint": f"f{i}", **finding}
            for i, (r, s) in enumerate(found)
        ],
    )


def seed(store: Store) -> None:
    """One or more rows behind every metric, written straight into the tables."""
    now = store.now()
    with store.unit() as connection:
        for table, rows in (_swarm_rows(now) | _ops_rows(now)).items():
            connection.execute(sa.insert(table), rows)
        _scans(connection, now)
    probe = {"kind": "http", "at": now, "detail": ""}
    in_unit(store, record_round, [ProbeResult(target="web", ok=False, latency_s=0.25, **probe)])
    in_unit(store, record_round, [ProbeResult(target="web", ok=True, latency_s=0.05, **probe)])


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_every_design_metric_carries_the_stored_value(store: Store) -> None:
    seed(store)
    metrics = store_metrics(store, slo=0.999)
    metrics.observe_transition(0.004)
    got = samples(metrics.exposition().decode())
    names = {name for name, _ in got}
    assert not [m for m in DESIGN_METRICS if m not in names and f"{m}_count" not in names]
    for name, labels, value in EXPECTED:
        assert got[(name, tuple(sorted(labels.items())))] == value, (name, labels)


def test_the_server_reads_the_store_on_every_scrape(store: Store) -> None:
    settings = Settings(metrics=MetricsSettings(port=0), health=HealthSettings(slo=0.99))
    server = serve_store_metrics(store, settings, addr="127.0.0.1")
    url = f"http://127.0.0.1:{server.port}/metrics"
    probe = ProbeResult(
        target="db", kind="store", ok=True, latency_s=0.01, detail="", at=store.now()
    )
    try:
        before = samples(httpx.get(url, timeout=10).text)
        in_unit(store, record_round, [probe])
        after = samples(httpx.get(url, timeout=10).text)
    finally:
        server.close()
    key = ("swarmops_probe_success", (("target", "db"),))
    assert key not in before and after[key] == 1
    assert after[("swarmops_slo_objective_ratio", ())] == 0.99


@pytest.mark.slow
def test_the_metrics_command_prints_every_design_metric(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'swarmops.db'}"
    store = open_store(url, create=True)
    seed(store)
    store.dispose()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SWARMOPS_")}
    command = [sys.executable, "-m", "swarmops", "--store-url", url, "metrics"]
    result = subprocess.run(
        command, cwd=tmp_path, env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    names = {name for name, _ in samples(result.stdout)}
    missing = [m for m in DESIGN_METRICS if m not in names and f"{m}_count" not in names]
    assert not missing
    push = subprocess.run(
        [*command, "--push"], cwd=tmp_path, env=environ, capture_output=True, text=True, timeout=60
    )
    assert push.returncode == 2 and "no Pushgateway configured" in push.stderr


def test_replaying_a_dead_letter_lowers_the_gauge_never_the_counter(store: Store, clock) -> None:  # type: ignore[no-untyped-def]
    seed_agent(store, "a1", "web")
    request = SendRequest(sender="ops", to="a1", body={}, ttl_s=5)
    in_unit(store, send, request, CoordinationSettings())
    clock.advance(5)
    in_unit(store, reap)
    metrics = store_metrics(store, slo=0.999)
    dead = samples(metrics.exposition().decode())
    [letter] = dead_letters(store)
    in_unit(store, replay, letter.id)
    replayed = samples(metrics.exposition().decode())
    now, ever = ("swarmops_messages_dead", ()), ("swarmops_messages_dead_lettered_total", ())
    assert (dead[now], dead[ever]) == (1, 1)
    assert (replayed[now], replayed[ever]) == (0, 1)
