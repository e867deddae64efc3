"""Metrics: every swarmops metric on one registry, and its publishers."""

from __future__ import annotations

from swarmops.metrics.catalog import METRICS, MetricDef, sample_names
from swarmops.metrics.publish import MetricsServer, push, serve_metrics, write_textfile
from swarmops.metrics.registry import StoreCollector, SwarmMetrics, store_metrics
from swarmops.metrics.service import Published, publish_batch, serve_store_metrics

__all__ = [
    "METRICS",
    "MetricDef",
    "MetricsServer",
    "Published",
    "StoreCollector",
    "SwarmMetrics",
    "publish_batch",
    "push",
    "sample_names",
    "serve_metrics",
    "serve_store_metrics",
    "store_metrics",
    "write_textfile",
]
