"""Storing a round: its results, and the ``probe.failed`` alerts it raises or resolves.

One unit of work per round. Alerts go through the outbox: a failing target opens
one alert (at most one is open per target) and queues its event in the same
unit; a passing one resolves whatever is open; optional probes never touch alerts.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from swarmops.health.results import AlertChange, HealthRound, ProbeResult
from swarmops.outbox import AlertSpec, open_alerts, raise_alert, resolve_alerts
from swarmops.store import Store, Unit
from swarmops.store.schema import probe_results

ALERT_KIND = "probe.failed"
RESOURCE_KIND = "probe"
SEVERITY = "major"


def record_round(unit: Unit, results: list[ProbeResult]) -> HealthRound:
    """Store every result and raise or resolve the alerts, inside ``unit``."""
    if results:
        unit.execute(sa.insert(probe_results), [_row(result) for result in results])
    counted = [result for result in results if not result.optional]
    raised = [change for r in counted if not r.ok for change in _raise(unit, r)]
    passing = {r.target: r for r in counted if r.ok}
    done = resolve_alerts(unit, ALERT_KIND, passing)
    resolved = [_resolved(passing[target], unit.now()) for target in done]
    ok = all(result.ok for result in counted)
    return HealthRound(results=results, ok=ok, raised=raised, resolved=resolved)


def _row(result: ProbeResult) -> dict[str, object]:
    return result.model_dump(include={"target", "kind", "ok", "latency_s", "detail", "at"})


def _raise(unit: Unit, result: ProbeResult) -> list[AlertChange]:
    """Open an alert (and its outbox row) unless one is open already."""
    message = f"probe {result.target} ({result.kind}) failed: {result.detail}"
    spec = AlertSpec(
        kind=ALERT_KIND,
        resource_kind=RESOURCE_KIND,
        resource_id=result.target,
        severity=SEVERITY,
        message=message,
        payload={"target": result.target, "probe_kind": result.kind, "detail": result.detail},
    )
    if raise_alert(unit, spec) is None:
        return []
    return [_change("raised", result.target, message, unit.now())]


def _resolved(result: ProbeResult, at: datetime) -> AlertChange:
    message = f"probe {result.target} ({result.kind}) passes again: {result.detail}"
    return _change("resolved", result.target, message, at)


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
    with store.unit(read_only=True) as unit:
        return sorted(open_alerts(unit, ALERT_KIND))
