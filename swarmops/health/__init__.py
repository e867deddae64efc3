"""Health: concurrent probes of every target, stored results, uptime against the SLO."""

from __future__ import annotations

from swarmops.health.config import load_probes
from swarmops.health.ports import ProbeContext
from swarmops.health.records import record_round
from swarmops.health.results import AlertChange, HealthRound, ProbeResult
from swarmops.health.runner import run_probes, run_round
from swarmops.health.service import check_health, real_context
from swarmops.health.uptime import UptimeReport, uptime_report

__all__ = [
    "AlertChange",
    "HealthRound",
    "ProbeContext",
    "ProbeResult",
    "UptimeReport",
    "check_health",
    "load_probes",
    "real_context",
    "record_round",
    "run_probes",
    "run_round",
    "uptime_report",
]
