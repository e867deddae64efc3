"""Storing a round: its results, and the ``probe.failed`` alerts it raises or resolves.

One write transaction per round. At most one alert is open per target (the
store's partial unique index guarantees it), so a failing target raises once and
a passing one resolves whatever is open; optional probes never touch alerts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from swarmops.health.results import AlertChange, HealthRound, ProbeResult
from swarmops.store import Store
from swarmops.store.schema import alerts, probe_results

ALERT_KIND = "probe.failed"
RESOURCE_KIND = "probe"
SEVERITY = "major"


def record_round(store: Store, results: list[ProbeResult]) -> HealthRound:
    """Store every result and update alerts, in one transaction."""
    now = store.now()
    raised: list[AlertChange] = []
    resolved: list[AlertChange] = []
    with store.write() as connection:
        if results:
            connection.execute(sa.insert(probe_results), [_row(result) for result in results])
        for result in results:
            if result.optional:
                continue
            if result.ok:
                resolved.extend(_resolve(connection, result, now))
            else:
                raised.extend(_raise(connection, store.dialect, result, now))
    ok = all(result.ok for result in results if not result.optional)
    return HealthRound(results=results, ok=ok, raised=raised, resolved=resolved)


def _row(result: ProbeResult) -> dict[str, object]:
    return result.model_dump(include={"target", "kind", "ok", "latency_s", "detail", "at"})


def _raise(
    connection: sa.Connection, dialect: str, result: ProbeResult, now: datetime
) -> list[AlertChange]:
    """Insert an open alert unless one is open already (ON CONFLICT DO NOTHING)."""
    insert: Callable[..., Any] = postgresql.insert if dialect == "postgresql" else sqlite.insert
    message = f"probe {result.target} ({result.kind}) failed: {result.detail}"
    statement = (
        insert(alerts)
        .values(
            kind=ALERT_KIND,
            resource_kind=RESOURCE_KIND,
            resource_id=result.target,
            severity=SEVERITY,
            message=message,
            raised_at=now,
        )
        .on_conflict_do_nothing()
        .returning(alerts.c.id)
    )
    if connection.execute(statement).first() is None:
        return []
    return [_change("raised", result.target, message, now)]


def _resolve(connection: sa.Connection, result: ProbeResult, now: datetime) -> list[AlertChange]:
    statement = (
        sa.update(alerts)
        .where(
            alerts.c.kind == ALERT_KIND,
            alerts.c.resource_kind == RESOURCE_KIND,
            alerts.c.resource_id == result.target,
            alerts.c.resolved_at.is_(None),
        )
        .values(resolved_at=now)
        .returning(alerts.c.id)
    )
    if not connection.execute(statement).all():
        return []
    message = f"probe {result.target} ({result.kind}) passes again: {result.detail}"
    return [_change("resolved", result.target, message, now)]


def _change(action: str, target: str, message: str, at: datetime) -> AlertChange:
    return AlertChange.model_validate(
        {
            "action": action,
            "kind": ALERT_KIND,
            "target": target,
            "severity": SEVERITY,
            "message": message,
            "at": at,
        }
    )


def open_probe_alerts(store: Store) -> list[str]:
    """Targets with an open ``probe.failed`` alert, sorted."""
    query = sa.select(alerts.c.resource_id).where(
        alerts.c.kind == ALERT_KIND, alerts.c.resolved_at.is_(None)
    )
    with store.read() as connection:
        return sorted(connection.execute(query).scalars())
