"""Read every store-backed metric in one read transaction: name -> {labels: value}.

Pure reads; the collector turns the result into metric families on each scrape,
so the exposition is always the store's current state. An absent fact (no scan
yet, no probe yet) is an absent sample, never a made-up zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from swarmops.health.uptime import uptime_report
from swarmops.store import Store, Unit
from swarmops.store.schema import (
    agent_events,
    agents,
    alerts,
    assignments,
    backup_events,
    compliance_runs,
    contracts,
    findings,
    messages,
    probe_results,
    reservation_repos,
    reservations,
    stage_runs,
)

Series = dict[tuple[str, ...], float]
Snapshot = dict[str, Series]
NO_STATE = "none"
# Every move to the dead letters ever made: dead_count only grows (a replay keeps it).
DEAD_LETTERED = sa.select(sa.func.coalesce(sa.func.sum(messages.c.dead_count), 0))


def read_snapshot(store: Store, slo: float) -> Snapshot:
    """Every metric the store backs, at this moment."""
    with store.unit(read_only=True) as unit:
        values = _counts(unit)
        values.update(_latest_probes(unit))
        values.update(_latest_scan(unit))
        values.update(_reservations(unit))
        values.update(_backups(unit))
    values["swarmops_contract_progress_ratio"] = _progress(store)
    values["swarmops_probe_uptime_ratio"] = _uptime(store, slo)
    values["swarmops_slo_objective_ratio"] = {(): slo}
    return values


def _grouped(unit: Unit, *columns: Any, where: Any = None) -> Series:
    """count(*) grouped by ``columns`` (one unlabeled row when there are none)."""
    query = sa.select(*columns, sa.func.count()).group_by(*columns)
    if where is not None:
        query = query.where(where)
    rows: Sequence[Any] = unit.execute(query).all()
    return {tuple(str(v) for v in row[:-1]): float(row[-1]) for row in rows}


def _counts(unit: Unit) -> Snapshot:
    from_state = sa.func.coalesce(agent_events.c.from_state, NO_STATE)
    stalled = sa.and_(alerts.c.kind == "contract.stalled", alerts.c.resolved_at.is_(None))
    pending = messages.c.status.in_(("pending", "leased"))
    return {
        "swarmops_agents": _grouped(unit, agents.c.state),
        "swarmops_fsm_transitions_total": _grouped(
            unit, from_state, agent_events.c.to_state, where=from_state != agent_events.c.to_state
        ),
        "swarmops_contracts": _grouped(
            unit, contracts.c.status, where=contracts.c.removed_at.is_(None)
        ),
        "swarmops_contracts_stalled": _grouped(unit, where=stalled),
        "swarmops_messages_pending": _grouped(unit, messages.c.queue, where=pending),
        "swarmops_messages_dead": _grouped(unit, where=messages.c.status == "dead"),
        "swarmops_messages_dead_lettered_total": {(): float(unit.scalar(DEAD_LETTERED))},
        "swarmops_stage_runs_total": _grouped(unit, stage_runs.c.stage, stage_runs.c.result),
        "swarmops_assignments_total": _grouped(unit, assignments.c.reason),
    }


def _reservations(unit: Unit) -> Snapshot:
    """Live reservations by mode, refusals by repository, and idle (not silent) agents."""
    from swarmops.agent_sessions import idle_agents

    r = reservations.c
    mode = sa.case((r.exclusive, sa.literal("exclusive")), else_=sa.literal("shared"))
    live = sa.and_(r.ended_at.is_(None), r.expires_at > unit.now())
    refused = sa.select(reservation_repos.c.repository, reservation_repos.c.refused)
    return {
        "swarmops_reservations": _grouped(unit, mode, where=live),
        "swarmops_reservation_conflicts_total": {
            (row.repository,): float(row.refused) for row in unit.execute(refused)
        },
        "swarmops_agents_idle": {(): float(len(idle_agents(unit)))},
    }


def _backups(unit: Unit) -> Snapshot:
    """The newest verified backup's time, the newest backup's size, failed verifications."""
    from swarmops.backup.events import CREATED, VERIFIED, VERIFY_FAILED

    b = backup_events.c
    verified = unit.scalar(sa.select(sa.func.max(b.taken_at)).where(b.event == VERIFIED))
    newest = sa.select(b.size_bytes).where(b.event == CREATED).order_by(b.id.desc()).limit(1)
    size = unit.scalar(newest)
    failures = unit.scalar(sa.select(sa.func.count()).where(b.event == VERIFY_FAILED))
    values: Snapshot = {"swarmops_backup_verify_failures_total": {(): float(failures)}}
    if verified is not None:
        values["swarmops_backup_last_success_timestamp_seconds"] = {(): verified.timestamp()}
    if size is not None:
        values["swarmops_backup_size_bytes"] = {(): float(size)}
    return values


def _latest_probes(unit: Unit) -> Snapshot:
    """Success and latency of each target's latest result (highest id)."""
    latest = sa.select(sa.func.max(probe_results.c.id)).group_by(probe_results.c.target)
    query = sa.select(probe_results.c.target, probe_results.c.ok, probe_results.c.latency_s).where(
        probe_results.c.id.in_(latest.scalar_subquery())
    )
    rows = unit.execute(query).all()
    return {
        "swarmops_probe_success": {(row.target,): float(bool(row.ok)) for row in rows},
        "swarmops_probe_duration_seconds": {(row.target,): row.latency_s for row in rows},
    }


def _latest_scan(unit: Unit) -> Snapshot:
    """Rate, duration and findings of the latest ``scan`` run; nothing before the first."""
    query = (
        sa.select(compliance_runs)
        .where(compliance_runs.c.kind == "scan")
        .order_by(compliance_runs.c.started_at.desc(), compliance_runs.c.id.desc())
        .limit(1)
    )
    run = unit.execute(query).first()
    if run is None:
        return {}
    return {
        "swarmops_compliance_rate": {(): run.compliance_rate},
        "swarmops_compliance_scan_seconds": {(): run.duration_s},
        "swarmops_compliance_violations": _grouped(
            unit, findings.c.rule, findings.c.severity, where=findings.c.run_id == run.id
        ),
    }


def _progress(store: Store) -> Series:
    """Completion per contract from the contracts capability (0..100 there, 0..1 here)."""
    from swarmops.contracts import percent_by_contract

    return {
        (str(contract),): float(pct) / 100 for contract, pct in percent_by_contract(store).items()
    }


def _uptime(store: Store, slo: float) -> Series:
    report = uptime_report(store, slo)
    return {(row.target, row.window): row.uptime for row in report.rows if row.uptime is not None}
