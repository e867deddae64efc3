"""The shipped Grafana dashboard and Prometheus rules query only metrics we define,
cover what operators watch, and pass promtool (its checks and the rule unit tests of
config/prometheus/alerts_test.yml) where it is installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from swarmops.metrics import METRICS, sample_names

CONFIG = Path(__file__).resolve().parents[2] / "config"
DASHBOARDS = sorted((CONFIG / "grafana" / "dashboards").glob("*.json"))
RULES = CONFIG / "prometheus" / "alerts.yml"
PROMQL_WORDS = {
    *("by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool"),
    *("and", "or", "unless", "inf", "nan"),
}
STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
MATCHERS = re.compile(r"\{[^}]*\}")
RANGES = re.compile(r"\[[^\]]*\]")
GROUPINGS = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
IDENTIFIER = re.compile(r"(?<![\w:.])([a-zA-Z_:][\w:]*)(\s*\()?")


def metric_names(expr: str) -> set[str]:
    """Series names in a PromQL expression (functions, keywords and labels removed)."""
    bare = GROUPINGS.sub(" ", RANGES.sub(" ", MATCHERS.sub(" ", STRINGS.sub(" ", expr))))
    return {
        name
        for name, call in IDENTIFIER.findall(bare)
        if not call and name.lower() not in PROMQL_WORDS
    }


def panel_exprs(dashboard: dict[str, Any]) -> dict[str, list[str]]:
    panels = [*dashboard["panels"]]
    panels += [inner for panel in dashboard["panels"] for inner in panel.get("panels", [])]
    return {
        panel["title"]: [target["expr"] for target in panel.get("targets", [])]
        for panel in panels
        if panel.get("type") != "row"
    }


def rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"]
    return [rule for group in groups for rule in group["rules"]]


def test_the_name_parser_sees_series_not_functions_or_labels() -> None:
    expr = 'histogram_quantile(0.99, sum by (le) (rate(x_bucket{a="b c"}[5m]))) / on(job) y'
    assert metric_names(expr) == {"x_bucket", "y"}


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_every_panel_queries_only_defined_metrics(path: Path) -> None:
    exprs = panel_exprs(json.loads(path.read_text(encoding="utf-8")))
    defined = sample_names()
    assert exprs
    for title, queries in exprs.items():
        used = set().union(*(metric_names(q) for q in queries)) if queries else set()
        assert used, f"panel {title!r} queries no metric"
        assert used <= defined, f"panel {title!r} uses undefined {sorted(used - defined)}"


def test_the_overview_shows_what_operators_watch() -> None:
    (overview,) = [p for p in DASHBOARDS if p.name == "swarmops-overview.json"]
    used = {
        n
        for qs in panel_exprs(json.loads(overview.read_text())).values()
        for q in qs
        for n in metric_names(q)
    }
    watched = (
        "swarmops_agents",
        "swarmops_contract_progress_ratio",
        "swarmops_contracts_stalled",
        "swarmops_compliance_rate",
        "swarmops_compliance_violations",
        "swarmops_probe_success",
        "swarmops_probe_uptime_ratio",
        "swarmops_messages_dead",
        "swarmops_messages_dead_lettered_total",
        "swarmops_gateway_request_seconds_count",
        "swarmops_gateway_request_seconds_bucket",
    )
    for name in watched:
        assert name in used


def test_every_alert_rule_has_for_severity_summary_and_defined_metrics() -> None:
    defined = sample_names()
    alerts = {rule["alert"]: rule for rule in rules()}
    expected = (
        "AgentOffline",
        "ContractStalled",
        "ComplianceRegressed",
        "ProbeFailing",
        "UptimeUnderSLO",
        "BatchJobNotSucceeding",
        "GatewayErrorRate",
        "GatewaySlow",
        "BackupStale",
    )
    for name in expected:
        assert f"Swarmops{name}" in alerts
    assert alerts["Watchdog"]["expr"] == "vector(1)"
    for name, rule in alerts.items():
        assert rule["for"] and rule["labels"]["severity"] and rule["annotations"]["summary"], name
        assert metric_names(rule["expr"]) <= defined, name


def test_promtool_accepts_the_rules_and_the_scrape_config_and_the_rule_tests_pass() -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool not installed (apt-get install prometheus; .ci/run does it)")
    for args in (
        ["check", "rules", str(RULES)],
        ["check", "config", str(RULES.parent / "prometheus.yml")],
        ["test", "rules", str(RULES.parent / "alerts_test.yml")],  # each rule fires when due
    ):
        result = subprocess.run([promtool, *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr


def test_dead_letters_now_are_the_gauge_and_the_counter_only_counts() -> None:
    """A replayed dead letter lowers what is dead now, never the counter: the alert on
    dead letters present reads the gauge, and no query treats the counter as a level."""
    catalog = {metric.name: metric.kind for metric in METRICS}
    assert catalog["swarmops_messages_dead"] == "gauge"
    assert catalog["swarmops_messages_dead_lettered_total"] == "counter"
    alerts = {rule["alert"]: rule for rule in rules()}
    assert metric_names(alerts["SwarmopsDeadLetters"]["expr"]) == {"swarmops_messages_dead"}
    (overview,) = [p for p in DASHBOARDS if p.name == "swarmops-overview.json"]
    for query in panel_exprs(json.loads(overview.read_text()))["Dead letters"]:
        if "swarmops_messages_dead_lettered_total" in query:
            assert "increase(" in query or "rate(" in query, query


def test_the_backup_alert_fires_at_twice_the_hourly_schedule() -> None:
    """The rule, the deployment's schedule and the operations stage agree on "stale"."""
    from swarmops.backup import SCHEDULE_S, STALE_AFTER_S

    alerts = {rule["alert"]: rule for rule in rules()}
    expr = alerts["SwarmopsBackupStale"]["expr"]
    assert metric_names(expr) == {"swarmops_backup_last_success_timestamp_seconds"}
    assert expr.endswith(f"> 2 * {int(SCHEDULE_S)}") and STALE_AFTER_S == 2 * SCHEDULE_S
    manifest = yaml.safe_load((CONFIG.parent / "prefect.yaml").read_text(encoding="utf-8"))
    (backup,) = [d for d in manifest["deployments"] if d["entrypoint"] == "flows/backup.py:backup"]
    assert [s["cron"] for s in backup["schedules"]] == ["30 * * * *"]  # hourly
