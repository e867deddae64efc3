"""The one metrics module: every metric of the catalog on a registry passed in.

Store-backed metrics come from :class:`StoreCollector`, which reads the store on
every collect, so each scrape or publish sees the current state. The transition
histogram is the one in-process instrument: whoever runs transitions observes it.
The ``last success`` gauge is never on this registry; publishers add it only to
a successful run's push (see ``publish.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from swarmops.metrics.catalog import (
    LAST_SUCCESS,
    METRICS,
    TRANSITION_BUCKETS,
    TRANSITION_SECONDS,
    MetricDef,
)
from swarmops.metrics.snapshot import Series, read_snapshot
from swarmops.store import Store

STORE_METRICS = tuple(m for m in METRICS if m.kind != "histogram" and m is not LAST_SUCCESS)


def family(metric: MetricDef, series: Series) -> Metric:
    """A metric family for ``metric`` holding ``series`` (labels tuple -> value)."""
    factory = CounterMetricFamily if metric.kind == "counter" else GaugeMetricFamily
    built = factory(metric.name, metric.help, labels=list(metric.labels))
    for labels, value in sorted(series.items()):
        built.add_metric(list(labels), value)
    return built


class StoreCollector:
    """A prometheus_client collector that reads the store on each collect."""

    def __init__(self, store: Store, slo: float) -> None:
        self.store = store
        self.slo = slo

    def describe(self) -> list[Metric]:
        return [family(metric, {}) for metric in STORE_METRICS]

    def collect(self) -> Iterator[Metric]:
        snapshot = read_snapshot(self.store, self.slo)
        for metric in STORE_METRICS:
            yield family(metric, snapshot.get(metric.name, {}))


class SwarmMetrics:
    """Every swarmops metric on ``registry`` (never the global default registry)."""

    def __init__(
        self, registry: CollectorRegistry, store: Store | None = None, slo: float = 0.999
    ) -> None:
        self.registry = registry
        self.transition_seconds = Histogram(
            TRANSITION_SECONDS.name,
            TRANSITION_SECONDS.help,
            registry=registry,
            buckets=(*TRANSITION_BUCKETS,),
        )
        if store is not None:
            registry.register(StoreCollector(store, slo))

    def observe_transition(self, seconds: float) -> None:
        """Record how long one agent transition took (called by the FSM's runner)."""
        self.transition_seconds.observe(seconds)

    def exposition(self) -> bytes:
        """The text exposition of everything on the registry."""
        return generate_latest(self.registry)


def store_metrics(store: Store, slo: float) -> SwarmMetrics:
    """A fresh registry with every metric, backed by ``store``."""
    return SwarmMetrics(CollectorRegistry(), store, slo)
