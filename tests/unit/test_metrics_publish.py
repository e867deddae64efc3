"""Publishers without a network: the catalog, the atomic textfile, the batch push payload."""

from __future__ import annotations

import threading
from pathlib import Path

from prometheus_client import CollectorRegistry, Gauge
from prometheus_client.parser import text_string_to_metric_families

from swarmops.metrics import METRICS, SwarmMetrics, publish_batch, push, write_textfile
from swarmops.metrics.catalog import LAST_SUCCESS
from swarmops.metrics.publish import batch_registry
from swarmops.settings import MetricsSettings
from swarmops.testing import recording_push_handler


def registry_of(size: int) -> CollectorRegistry:
    registry = CollectorRegistry()
    gauge = Gauge("swarmops_test_series", "A test series.", ["n"], registry=registry)
    for index in range(size):
        gauge.labels(str(index)).set(index)
    return registry


def test_the_catalog_names_are_unique_and_follow_conventions() -> None:
    names = [metric.name for metric in METRICS]
    assert len(names) == len(set(names)) and all(n.startswith("swarmops_") for n in names)
    for metric in METRICS:
        assert metric.name.endswith("_total") is (metric.kind == "counter"), metric.name


def test_swarm_metrics_uses_only_the_registry_it_is_given() -> None:
    from prometheus_client import REGISTRY

    before = set(REGISTRY._names_to_collectors)
    metrics = SwarmMetrics(CollectorRegistry())
    metrics.observe_transition(0.02)
    assert set(REGISTRY._names_to_collectors) == before
    text = metrics.exposition().decode()
    assert "swarmops_fsm_transition_seconds_count 1.0" in text


def test_a_reader_never_sees_half_a_textfile(tmp_path: Path) -> None:
    """A reader loops while the writer alternates a small and a 70 KB exposition;
    every read must be exactly one of the two whole files."""
    from prometheus_client import generate_latest

    small, large = registry_of(3), registry_of(2000)
    versions = {generate_latest(small), generate_latest(large)}
    path = tmp_path / "node" / "swarmops.prom"
    write_textfile(small, path)
    done = threading.Event()
    seen: list[bytes] = []

    def read() -> None:
        while not done.is_set():
            seen.append(path.read_bytes())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for index in range(20):
            write_textfile(large if index % 2 == 0 else small, path)
    finally:
        done.set()
        reader.join()
    assert seen and set(seen) <= versions
    assert [p.name for p in path.parent.iterdir()] == ["swarmops.prom"]


def test_only_a_successful_run_carries_the_last_success_time() -> None:
    source = registry_of(1)
    succeeded = batch_registry(source, succeeded=True)
    failed = batch_registry(source, succeeded=False)
    names = {f.name for f in text_string_to_metric_families(_text(succeeded))}
    assert {"swarmops_test_series", LAST_SUCCESS.name} <= names
    assert LAST_SUCCESS.name not in {f.name for f in text_string_to_metric_families(_text(failed))}


def test_push_uses_pushadd_with_job_and_grouping_key() -> None:
    calls: list[dict[str, object]] = []
    push(
        registry_of(2),
        "http://gw:9091",
        "swarmops-ops",
        {"instance": "h1"},
        recording_push_handler(calls),
    )
    (call,) = calls
    assert call["method"] == "POST"
    assert call["url"] == "http://gw:9091/metrics/job/swarmops-ops/instance/h1"
    assert b'swarmops_test_series{n="1"} 1.0' in call["data"]  # type: ignore[operator]


def test_publish_batch_writes_the_textfile_and_pushes_when_configured(tmp_path: Path) -> None:
    calls: list[dict[str, object]] = []
    settings = MetricsSettings(textfile=tmp_path / "m.prom", pushgateway="http://gw:9091")
    published = publish_batch(
        SwarmMetrics(CollectorRegistry()), settings, "ops", True, recording_push_handler(calls)
    )
    assert published.textfile == str(tmp_path / "m.prom") and len(calls) == 1
    assert LAST_SUCCESS.name in (tmp_path / "m.prom").read_text()
    offline = MetricsSettings(textfile=None, pushgateway=None)
    publish_batch(
        SwarmMetrics(CollectorRegistry()), offline, "ops", True, recording_push_handler(calls)
    )
    assert len(calls) == 1


def _text(registry: CollectorRegistry) -> str:
    from prometheus_client import generate_latest

    return generate_latest(registry).decode()
