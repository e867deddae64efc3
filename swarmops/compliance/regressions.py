"""``compliance.regressed``: one open alert per scanned root while it has new findings.

Written with the scan's run in one unit of work, so the alert (and its outbox event)
exists exactly when the recorded run found something new at or above the gate, and
is resolved by the first run that finds nothing new under that root.
"""

from __future__ import annotations

from swarmops.compliance.models import ScanReport
from swarmops.outbox import AlertSpec, open_alerts, raise_alert, resolve_alerts
from swarmops.store import Unit

KIND = "compliance.regressed"
SHOWN = 50  # fingerprints carried by the event; the run's findings rows hold them all


def sync_regressions(unit: Unit, report: ScanReport, severity: str) -> int:
    """Raise an alert per root with new findings at or above ``severity``, resolve the
    alerts of roots that have none; returns how many were raised."""
    blocking = report.gate(severity)
    by_root = {root: [f for f in blocking if f.root == root] for root in report.roots}
    clean = [root for root, found in by_root.items() if not found]
    resolve_alerts(unit, KIND, [root for root in clean if root in open_alerts(unit, KIND)])
    raised = 0
    for root, found in by_root.items():
        if found:
            spec = AlertSpec(
                kind=KIND,
                resource_kind="repository",
                resource_id=root,
                severity=severity,
                message=f"{len(found)} new {severity}+ compliance finding(s) under {root}",
                payload={"fingerprints": [f.fingerprint for f in found[:SHOWN]]},
            )
            raised += raise_alert(unit, spec) is not None
    return raised
