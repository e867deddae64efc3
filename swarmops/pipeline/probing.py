"""Probing a store that may never have been initialised, for the assessment stage.

Assessment must report a fresh store as a gap, not fail on it: a store without the
schema cannot hold a probe round, so the round is run and returned unrecorded (no
alerts either: those live in the store too). ``store_state`` says which case holds.
"""

from __future__ import annotations

from swarmops.health import HealthRound, load_probes, real_context, run_probes
from swarmops.settings import Settings
from swarmops.store import Store
from swarmops.store.migrate import current_revision
from swarmops.store.namespace import missing_namespace


def store_state(store: Store) -> str:
    """``ready`` (schema present), ``empty`` (never initialised) or ``schema NAME missing``."""
    schema = missing_namespace(store)
    if schema is not None:
        return f"schema {schema} missing"
    return "ready" if current_revision(store) is not None else "empty"


def probe_unrecorded(settings: Settings, store: Store) -> HealthRound:
    """Run every enabled probe once and return the round without storing it."""
    results = run_probes(load_probes(settings.health.probes), real_context(store))
    return HealthRound.unrecorded(results, "assessment probes a store that may not exist yet")
