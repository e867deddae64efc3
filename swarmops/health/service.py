"""The health check as callers use it: load probes, run a round, store it.

The CLI and the Prefect tasks call :func:`check_health`. The probes run outside
any transaction (they wait on the network); the round is then stored in one unit
of work, its alerts with their outbox rows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from swarmops.clock import SystemClock
from swarmops.errors import StoreError, first_line
from swarmops.health.clients import AsyncioTcp, ShutilDisk
from swarmops.health.config import load_probes
from swarmops.health.ports import ProbeContext
from swarmops.health.records import record_round
from swarmops.health.results import HealthRound, ProbeResult
from swarmops.health.runner import run_probes
from swarmops.health.specs import StoreProbe
from swarmops.settings import Settings
from swarmops.store import Store, Unit, in_unit
from swarmops.store.integrity import check_integrity


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
    probe reports why, and the round is returned unrecorded; so is a round the store
    refuses to hold, failed whatever its probes said. When the probe of this store
    failed, its integrity is checked first: nothing is written to a damaged store."""
    specs = load_probes(settings.health.probes)
    results = run_probes(specs, context or real_context(store, store_url=settings.store_url))
    if store is None:
        return HealthRound.unrecorded(results, "the store could not be opened")
    own = {spec.name for spec in specs if isinstance(spec, StoreProbe) and spec.url is None}
    suspect = any(not result.ok for result in results if result.target in own)
    try:
        return in_unit(store, _record, results, suspect)
    except StoreError as exc:
        refused = HealthRound.unrecorded(results, first_line(exc))
        return refused.model_copy(update={"ok": False})


def _record(unit: Unit, results: list[ProbeResult], suspect: bool) -> HealthRound:
    if suspect:
        check_integrity(unit)
    return record_round(unit, results)
