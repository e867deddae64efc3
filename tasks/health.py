"""Health tasks: one probe round per call (never one task per target)."""

from __future__ import annotations

from prefect import task

from swarmops import health
from swarmops.health import HealthRound, UptimeReport
from swarmops.settings import Settings
from swarmops.store import Store
from tasks.policy import PROBE_TIMEOUT_S, io_policy


@task(name="probe-round", **io_policy("probe", timeout_s=PROBE_TIMEOUT_S))
def probe_round(settings: Settings, store: Store) -> HealthRound:
    """Probe every target concurrently and store the round; a failed probe is a result,
    while an exception (the store refusing the write) propagates so Prefect retries."""
    return health.check_health(settings, store)


@task(name="uptime", **io_policy("store"))
def uptime(store: Store, slo: float) -> UptimeReport:
    """Uptime per target and window against the SLO, read from stored rounds."""
    return health.uptime_report(store, slo)
