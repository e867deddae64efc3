"""The transition latency histogram is observed where transitions run in a long-running
process: the store it serves carries the metrics as its observer (both databases)."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry

from swarmops.fsm import load_agent_machine, transition
from swarmops.metrics.registry import SwarmMetrics
from swarmops.store import Store, in_unit
from swarmops.testing import agent_in_state

MACHINE = load_agent_machine(Path(__file__).resolve().parents[2] / "config" / "fsm.yaml")
COUNT = "swarmops_fsm_transition_seconds_count"


def test_transitions_on_an_observed_store_fill_the_histogram(store: Store) -> None:
    agent_in_state(store, MACHINE, "w", "IDLE")  # before the observer: not counted
    metrics = SwarmMetrics(CollectorRegistry())
    store.observer = metrics
    in_unit(store, transition, MACHINE, "w", "PAUSED")
    in_unit(store, transition, MACHINE, "w", "IDLE", key="k")
    in_unit(store, transition, MACHINE, "w", "IDLE", key="k")  # a replay is answered, and timed
    assert metrics.registry.get_sample_value(COUNT) == 3
    assert metrics.registry.get_sample_value("swarmops_fsm_transition_seconds_sum") > 0
