"""Contract alerts: one open alert per contract and condition, resolved when it clears.

The rollup's ``track`` decides the condition (stalled, overdue or behind); running
this again with the same tracks changes nothing. Alerts are opened and resolved
through the outbox (``swarmops.outbox``), so each one raised is announced by an
event written in the same unit of work, and published by the drain after it commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from swarmops.outbox import AlertSpec, open_alerts, raise_alert, resolve_alerts
from swarmops.store import Unit

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
    """What one alert pass raised and resolved (its events are in the outbox)."""

    model_config = ConfigDict(frozen=True)

    raised: tuple[Alert, ...] = ()
    resolved: tuple[Alert, ...] = ()


def sync_alerts(unit: Unit, tracks: Iterable[tuple[str, str]]) -> AlertSync:
    """Raise alerts for (contract id, track) pairs that need one, resolve those that cleared."""
    pairs = list(tracks)
    raised: list[Alert] = []
    resolved: list[Alert] = []
    for track, (kind, _) in KINDS.items():
        wanted = sorted({cid for cid, on in pairs if on == track})
        opened = open_alerts(unit, kind)
        cleared = sorted(set(opened) - set(wanted))
        resolved += [_alert(unit, track, cid) for cid in resolve_alerts(unit, kind, cleared)]
        for cid in wanted:
            if cid not in opened and raise_alert(unit, _spec(track, cid)) is not None:
                raised.append(_alert(unit, track, cid))
    return AlertSync(raised=tuple(raised), resolved=tuple(resolved))


def _spec(track: str, contract_id: str) -> AlertSpec:
    kind, severity = KINDS[track]
    return AlertSpec(
        kind=kind,
        resource_kind=RESOURCE,
        resource_id=contract_id,
        severity=severity,
        message=f"contract {contract_id} is {track}",
        payload={"contract_id": contract_id, "track": track},
    )


def _alert(unit: Unit, track: str, contract_id: str) -> Alert:
    spec = _spec(track, contract_id)
    return Alert(
        kind=spec.kind,
        contract_id=contract_id,
        severity=spec.severity,
        message=spec.message,
        at=unit.now(),
    )
