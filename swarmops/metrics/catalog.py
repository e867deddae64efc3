"""Every swarmops metric, declared once: name, type, labels and help.

The collector, the in-process instruments, the dashboards' and alert rules'
tests all read this table, so a metric exists exactly when it is listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["gauge", "counter", "histogram"]
TRANSITION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


@dataclass(frozen=True)
class MetricDef:
    """One metric; ``name`` is the sample name (counters end in ``_total``)."""

    name: str
    kind: Kind
    help: str
    labels: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        """The family name prometheus_client reports (``_total`` stripped)."""
        return self.name.removesuffix("_total") if self.kind == "counter" else self.name

    @property
    def samples(self) -> tuple[str, ...]:
        """Every sample name this metric exposes."""
        if self.kind == "histogram":
            return tuple(f"{self.name}_{suffix}" for suffix in ("bucket", "count", "sum"))
        return (self.name,)


METRICS: tuple[MetricDef, ...] = (
    MetricDef("swarmops_agents", "gauge", "Agents by lifecycle state.", ("state",)),
    MetricDef(
        "swarmops_fsm_transitions_total",
        "counter",
        "Agent state transitions recorded (from_state none = registration).",
        ("from_state", "to_state"),
    ),
    MetricDef("swarmops_fsm_transition_seconds", "histogram", "Time to apply one transition."),
    MetricDef(
        "swarmops_contract_progress_ratio", "gauge", "Contract completion, 0..1.", ("contract",)
    ),
    MetricDef("swarmops_contracts", "gauge", "Contracts by status.", ("status",)),
    MetricDef("swarmops_contracts_stalled", "gauge", "Contracts with an open stall alert."),
    MetricDef(
        "swarmops_messages_pending", "gauge", "Messages pending or leased by queue.", ("queue",)
    ),
    MetricDef("swarmops_messages_dead", "gauge", "Messages in the dead-letter state now."),
    MetricDef(
        "swarmops_messages_dead_lettered_total",
        "counter",
        "Moves of a message to the dead letters, ever (a replay does not undo one).",
    ),
    MetricDef(
        "swarmops_compliance_violations",
        "gauge",
        "Findings of the latest compliance scan.",
        ("rule", "severity"),
    ),
    MetricDef("swarmops_compliance_rate", "gauge", "Compliant share of the latest scan, 0..1."),
    MetricDef("swarmops_compliance_scan_seconds", "gauge", "Duration of the latest scan."),
    MetricDef("swarmops_probe_success", "gauge", "1 if the latest probe passed.", ("target",)),
    MetricDef(
        "swarmops_probe_duration_seconds", "gauge", "Latency of the latest probe.", ("target",)
    ),
    MetricDef(
        "swarmops_probe_uptime_ratio",
        "gauge",
        "Share of passing probes over a window (1h, 24h, 30d).",
        ("target", "window"),
    ),
    MetricDef("swarmops_slo_objective_ratio", "gauge", "The configured uptime objective."),
    MetricDef(
        "swarmops_stage_runs_total",
        "counter",
        "Pipeline stage runs by result.",
        ("stage", "result"),
    ),
    MetricDef(
        "swarmops_assignments_total",
        "counter",
        "Contract assignments by reason (assign, failover, ...).",
        ("reason",),
    ),
    MetricDef(
        "swarmops_gateway_request_seconds",
        "histogram",
        "Agent gateway requests (the _count series counts them) and their latency.",
        ("route", "method", "status"),
    ),
    MetricDef(
        "swarmops_agents_idle",
        "gauge",
        "Agents whose session stopped (idle, waiting for their user) and not beaten since.",
    ),
    MetricDef("swarmops_reservations", "gauge", "Live path reservations by mode.", ("mode",)),
    MetricDef(
        "swarmops_reservation_conflicts_total",
        "counter",
        "Reservations refused because another agent held an overlapping one.",
        ("repository",),
    ),
    MetricDef(
        "swarmops_backup_last_success_timestamp_seconds",
        "gauge",
        "When the newest backup that passed verification was taken (Unix time).",
    ),
    MetricDef("swarmops_backup_size_bytes", "gauge", "Size of the newest backup's file."),
    MetricDef(
        "swarmops_backup_verify_failures_total",
        "counter",
        "Backup verifications that failed (a damaged file, a count or a log that differs).",
    ),
    MetricDef(
        "swarmops_last_success_timestamp_seconds",
        "gauge",
        "When a batch job last succeeded (pushed only by a successful run).",
    ),
)
BY_NAME: dict[str, MetricDef] = {metric.name: metric for metric in METRICS}
LAST_SUCCESS = BY_NAME["swarmops_last_success_timestamp_seconds"]
TRANSITION_SECONDS = BY_NAME["swarmops_fsm_transition_seconds"]
GATEWAY_REQUEST_SECONDS = BY_NAME["swarmops_gateway_request_seconds"]


def sample_names() -> frozenset[str]:
    """Every series name a query may use (histogram suffixes included)."""
    return frozenset(name for metric in METRICS for name in (metric.name, *metric.samples))
