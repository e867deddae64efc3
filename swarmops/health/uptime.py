"""Uptime per target over 1 h, 24 h and 30 d from stored probe results, against the SLO.

Uptime is passed / total over the window ``(now - window, now]``; the error rate
is its complement. A window without results has no uptime (None), which is
neither meeting nor missing the SLO: absence of data is reported, not guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from swarmops.store import Store
from swarmops.store.schema import probe_results

WINDOWS: dict[str, timedelta] = {
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "30d": timedelta(days=30),
}


class WindowUptime(BaseModel):
    """One target over one window."""

    model_config = ConfigDict(frozen=True)

    target: str
    window: str
    probes: int
    passed: int
    uptime: float | None
    error_rate: float | None
    slo: float
    meets_slo: bool | None


class UptimeReport(BaseModel):
    """Every target over every window, at one moment."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    slo: float
    rows: list[WindowUptime]

    @property
    def ok(self) -> bool:
        """No window of any target is under the SLO."""
        return all(row.meets_slo is not False for row in self.rows)


def window_uptime(target: str, window: str, counts: tuple[int, int], slo: float) -> WindowUptime:
    """The arithmetic for one window: ``counts`` is (probes, passed)."""
    probes, passed = counts
    uptime = passed / probes if probes else None
    return WindowUptime(
        target=target,
        window=window,
        probes=probes,
        passed=passed,
        uptime=uptime,
        error_rate=None if uptime is None else 1 - uptime,
        slo=slo,
        meets_slo=None if uptime is None else uptime >= slo,
    )


def uptime_report(store: Store, slo: float, now: datetime | None = None) -> UptimeReport:
    """Uptime of every target that has results in the longest window."""
    at = now or store.now()
    columns: list[sa.ColumnElement[Any]] = [probe_results.c.target]
    for span in WINDOWS.values():
        recent = probe_results.c.at > at - span
        columns.append(sa.func.sum(sa.case((recent, 1), else_=0)))
        passed = sa.and_(recent, probe_results.c.ok == sa.true())
        columns.append(sa.func.sum(sa.case((passed, 1), else_=0)))
    query = (
        sa.select(*columns)
        .where(probe_results.c.at > at - max(WINDOWS.values()), probe_results.c.at <= at)
        .group_by(probe_results.c.target)
        .order_by(probe_results.c.target)
    )
    with store.unit(read_only=True) as unit:
        rows: Sequence[Any] = unit.execute(query).all()
    report = []
    for target, *sums in rows:
        for index, window in enumerate(WINDOWS):
            counts = (int(sums[2 * index]), int(sums[2 * index + 1]))
            report.append(window_uptime(target, window, counts, slo))
    return UptimeReport(at=at, slo=slo, rows=report)
