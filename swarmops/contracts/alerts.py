"""Contract alerts: one open alert per contract and condition, resolved when it clears.

The rollup's ``track`` decides the condition (stalled, overdue or behind); running
this again with the same tracks changes nothing. The partial unique index on open
alerts makes a concurrent duplicate impossible; the insert skips it instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.store import Store
from swarmops.store.schema import alerts

KINDS = {
    "stalled": ("contract.stalled", "warning"),
    "overdue": ("contract.overdue", "critical"),
    "behind": ("contract.behind", "warning"),
}
RESOURCE = "contract"


class Alert(BaseModel):
    """An alert raised or resolved by this run."""

    model_config = ConfigDict(frozen=True)

    kind: str
    contract_id: str
    severity: str
    message: str
    at: datetime


class AlertSync(BaseModel):
    """What one alert pass raised and resolved (the flows turn these into events)."""

    model_config = ConfigDict(frozen=True)

    raised: tuple[Alert, ...] = ()
    resolved: tuple[Alert, ...] = ()


def sync_alerts(conn: sa.Connection, tracks: Iterable[tuple[str, str]], now: datetime) -> AlertSync:
    """Raise alerts for (contract id, track) pairs that need one, resolve those that cleared."""
    wanted = {(KINDS[track][0], cid): track for cid, track in tracks if track in KINDS}
    open_rows = conn.execute(
        sa.select(
            alerts.c.id, alerts.c.kind, alerts.c.resource_id, alerts.c.severity, alerts.c.message
        ).where(
            alerts.c.resource_kind == RESOURCE,
            alerts.c.resolved_at.is_(None),
            alerts.c.kind.in_([kind for kind, _ in KINDS.values()]),
        )
    ).all()
    opened = {(row.kind, row.resource_id): row for row in open_rows}
    cleared = [row for pair, row in opened.items() if pair not in wanted]
    raised = [
        _raise(conn, cid, track, now)
        for (kind, cid), track in sorted(wanted.items())
        if (kind, cid) not in opened
    ]
    return AlertSync(
        raised=tuple(a for a in raised if a is not None), resolved=_resolve(conn, cleared, now)
    )


def refresh_alerts(store: Store, tracks: Iterable[tuple[str, str]]) -> AlertSync:
    """``sync_alerts`` in its own transaction at the store's current time."""
    with store.write() as conn:
        return sync_alerts(conn, tracks, store.now())


def _resolve(conn: sa.Connection, cleared: list[Any], now: datetime) -> tuple[Alert, ...]:
    if cleared:
        conn.execute(
            alerts.update().where(alerts.c.id.in_([r.id for r in cleared])).values(resolved_at=now)
        )
    return tuple(
        Alert(
            kind=r.kind, contract_id=r.resource_id, severity=r.severity, message=r.message, at=now
        )
        for r in cleared
    )


def _raise(conn: sa.Connection, contract_id: str, track: str, now: datetime) -> Alert | None:
    kind, severity = KINDS[track]
    alert = Alert(
        kind=kind,
        contract_id=contract_id,
        severity=severity,
        message=f"contract {contract_id} is {track}",
        at=now,
    )
    insert = (
        _insert_for(conn.dialect.name)
        .values(
            kind=kind,
            resource_kind=RESOURCE,
            resource_id=contract_id,
            severity=severity,
            message=alert.message,
            raised_at=now,
        )
        .on_conflict_do_nothing(
            index_elements=["kind", "resource_kind", "resource_id"],
            index_where=alerts.c.resolved_at.is_(None),
        )
    )
    inserted = conn.execute(insert.returning(alerts.c.id)).first()
    return alert if inserted is not None else None


def _insert_for(dialect: str) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT DO NOTHING (both dialects have it)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(alerts)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(alerts)
