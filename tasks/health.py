"""Health tasks: one probe round per call (never one task per target)."""

from __future__ import annotations

from prefect import task

from swarmops import health
from swarmops.health import HealthRound, UptimeReport
from swarmops.pipeline import probe_unrecorded
from swarmops.settings import Settings
from tasks.policy import PROBE_TIMEOUT_S, io_policy
from tasks.stores import store_for


@task(name="probe-round", **io_policy(timeout_s=PROBE_TIMEOUT_S))
def probe_round(settings: Settings, record: bool = True) -> HealthRound:
    """Probe every target concurrently and, with ``record``, store the round. A failed
    probe is a result; an exception (the store refusing the write) fails the task."""
    store = store_for(settings.store_url)
    if not record:
        return probe_unrecorded(settings, store)
    return health.check_health(settings, store)


@task(name="uptime", **io_policy())
def uptime(store_url: str, slo: float) -> UptimeReport:
    """Uptime per target and window against the SLO, read from stored rounds."""
    return health.uptime_report(store_for(store_url), slo)
