"""V2 compliance: code-shape rules scanned across repositories, fast and exact.

The domain API the CLI, the tasks and the metrics use::

    report = scan([Path(".")], rules, jobs=4, cache_dir=Path(".swarmops/cache"))
    report = compare_to_baseline(report, load_baseline(Path("baseline.json")))
    record_run(unit, report, kind="scan")

``record_run`` is loaded on first use (it pulls in SQLAlchemy), so importing this
package stays light for the command line.
"""

from __future__ import annotations

from typing import Any

from swarmops.compliance.baseline import compare_to_baseline, load_baseline, write_baseline
from swarmops.compliance.cache import DEFAULT_CACHE_DIR
from swarmops.compliance.models import Finding, ScanReport
from swarmops.compliance.rules import RULES, RuleSet, Severity
from swarmops.compliance.scanner import scan
from swarmops.compliance.sources import load_rules, resolve_rules

__all__ = [
    "DEFAULT_CACHE_DIR",
    "RULES",
    "Finding",
    "RuleSet",
    "ScanReport",
    "Severity",
    "compare_to_baseline",
    "load_baseline",
    "load_rules",
    "record_run",
    "resolve_rules",
    "scan",
    "write_baseline",
]


def __getattr__(name: str) -> Any:
    if name == "record_run":
        from swarmops.compliance.record import record_run

        return record_run
    raise AttributeError(name)
