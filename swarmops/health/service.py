"""The health check as callers use it: load probes, run a round, store it.

The CLI and the Prefect tasks call :func:`check_health`. The probes run outside
any transaction (they wait on the network); the round is then stored in one unit
of work, its alerts with their outbox rows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from swarmops.clock import SystemClock
from swarmops.health.clients import AsyncioTcp, ShutilDisk
from swarmops.health.config import load_probes
from swarmops.health.ports import ProbeContext
from swarmops.health.records import record_round
from swarmops.health.results import HealthRound
from swarmops.health.runner import run_probes
from swarmops.settings import Settings
from swarmops.store import Store, in_unit


def real_context(
    store: Store | None, environ: Mapping[str, str] | None = None, *, store_url: str | None = None
) -> ProbeContext:
    """Real TCP and disk I/O, the store's clock, PREFECT_API_URL from the environment;
    without a store, the store probe opens ``store_url`` itself and reports why it cannot."""
    env = os.environ if environ is None else environ
    return ProbeContext(
        tcp=AsyncioTcp(),
        disk=ShutilDisk(),
        clock=SystemClock() if store is None else store.clock,
        store=store,
        store_url=store_url,
        prefect_api_url=env.get("PREFECT_API_URL") or None,
    )


def check_health(
    settings: Settings, store: Store | None, context: ProbeContext | None = None
) -> HealthRound:
    """Run every enabled probe of ``settings.health.probes`` once and store the round.

    With no store (the caller could not open it) every probe still runs, the store
    probe reports why, and the round is returned unrecorded."""
    specs = load_probes(settings.health.probes)
    results = run_probes(specs, context or real_context(store, store_url=settings.store_url))
    if store is None:
        return HealthRound.unrecorded(results)
    return in_unit(store, record_round, results)
