"""The health check as callers use it: load probes, run a round, store it.

The CLI and the Prefect tasks call :func:`check_health`. The probes run outside
any transaction (they wait on the network); the round is then stored in one unit
of work, its alerts with their outbox rows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from swarmops.health.clients import AsyncioTcp, ShutilDisk
from swarmops.health.config import load_probes
from swarmops.health.ports import ProbeContext
from swarmops.health.records import record_round
from swarmops.health.results import HealthRound
from swarmops.health.runner import run_probes
from swarmops.settings import Settings
from swarmops.store import Store, in_unit


def real_context(store: Store, environ: Mapping[str, str] | None = None) -> ProbeContext:
    """Real TCP and disk I/O, the store's clock, PREFECT_API_URL from the environment."""
    env = os.environ if environ is None else environ
    return ProbeContext(
        tcp=AsyncioTcp(),
        disk=ShutilDisk(),
        clock=store.clock,
        store=store,
        prefect_api_url=env.get("PREFECT_API_URL") or None,
    )


def check_health(
    settings: Settings, store: Store, context: ProbeContext | None = None
) -> HealthRound:
    """Run every enabled probe of ``settings.health.probes`` once and store the round."""
    specs = load_probes(settings.health.probes)
    results = run_probes(specs, context or real_context(store))
    return in_unit(store, record_round, results)
