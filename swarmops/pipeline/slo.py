"""SLO performance probes: one of each operation the swarm waits on, timed against its
target. The store operations run in a scratch namespace on the store's own backend, so
they measure the real path and leave nothing behind; the scan reads the configured roots."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from swarmops.compliance import resolve_rules, scan
from swarmops.fsm import load_agent_machine
from swarmops.pipeline import scratchwork as work
from swarmops.pipeline.report import Check, markdown_table
from swarmops.settings import Settings
from swarmops.store import Store
from swarmops.store.scratch import scratch_store

# The swarm's seed targets, in seconds.
SLO_TARGETS: dict[str, float] = {
    "transition": 0.050,
    "progress_update": 0.100,
    "message_round_trip": 0.200,
    "compliance_scan": 30.0,
}


class SloProbe(BaseModel):
    """One timed operation against its target."""

    model_config = ConfigDict(frozen=True)

    name: str
    seconds: float
    target_s: float

    @property
    def ok(self) -> bool:
        return self.seconds <= self.target_s

    def check(self) -> Check:
        verdict = "within" if self.ok else "over"
        reason = f"{self.seconds * 1000:.1f} ms, {verdict} the {self.target_s * 1000:g} ms target"
        return Check(name=f"slo {self.name}", ok=self.ok, reason=reason)


class SloReport(BaseModel):
    """Every probe of one round; ``ok`` when all are within target."""

    model_config = ConfigDict(frozen=True)

    probes: tuple[SloProbe, ...]

    @property
    def ok(self) -> bool:
        return all(probe.ok for probe in self.probes)

    def checks(self) -> list[Check]:
        return [probe.check() for probe in self.probes]

    def rows(self) -> list[dict[str, object]]:
        """The SLO table artifact: operation, measured and target milliseconds, verdict."""
        return [
            {
                "operation": p.name,
                "measured_ms": round(p.seconds * 1000, 3),
                "target_ms": p.target_s * 1000,
                "ok": p.ok,
            }
            for p in self.probes
        ]

    def markdown(self) -> str:
        columns = ("operation", "measured ms", "target ms", "ok")
        table = markdown_table(columns, [r.values() for r in self.rows()])
        return f"**SLO probes**: {'all within target' if self.ok else 'target missed'}\n\n{table}"


SAMPLES = 5


def run_slo_probes(store: Store, settings: Settings) -> SloReport:
    """Time a transition, a progress update and a message round trip (each the median of
    ``SAMPLES``) and a scan."""
    machine = load_agent_machine(settings.fsm)
    with scratch_store(store.engine.url) as scratch_db:
        scratch = work.Scratch(store=scratch_db, settings=settings, machine=machine)
        work.register_agents(scratch)
        work.make_idle(scratch, work.WORKER.id)
        moves = iter(["PAUSED", "IDLE"] * SAMPLES)
        transition = _median(lambda: work.pause_or_resume(scratch, work.WORKER.id, next(moves)))
        work.make_idle(scratch, work.PEER.id)
        work.apply_contract(scratch, owner=work.WORKER.id)
        percents = iter(range(10, 10 + 5 * SAMPLES, 5))
        progress = _median(lambda: work.report_progress(scratch, work.WORKER.id, next(percents)))
        message = _median(lambda: work.round_trip(scratch, work.PEER.id, work.WORKER.id))
    roots = list(settings.compliance.roots)
    rules, _ = resolve_rules(None, settings, roots)
    scanned = _timed(lambda: scan(roots, rules))
    measured = {
        "transition": transition,
        "progress_update": progress,
        "message_round_trip": message,
        "compliance_scan": scanned,
    }
    return SloReport(
        probes=tuple(
            SloProbe(name=name, seconds=measured[name], target_s=target)
            for name, target in SLO_TARGETS.items()
        )
    )


def _median(operation: Callable[[], object]) -> float:
    """The median of ``SAMPLES`` timings: one sample is at the mercy of a busy moment (a
    loaded host, a neighbour's fsync), and an SLO speaks of the typical operation."""
    return statistics.median(_timed(operation) for _ in range(SAMPLES))


def _timed(operation: Callable[[], object]) -> float:
    started = time.perf_counter()
    operation()
    return time.perf_counter() - started
