"""V2 compliance: code-shape rules scanned across repositories, fast and exact.

The domain API the CLI, the tasks and the metrics use::

    report = scan([Path(".")], rules, jobs=4, cache_dir=Path(".swarmops/cache"))
    report = compare_to_baseline(report, load_baseline(Path("baseline.json")))
    record_run(unit, report, kind="scan")

Every name is loaded on first use (``record_run`` pulls in SQLAlchemy, the models
pydantic), so importing a submodule alone stays light: the edit hooks import
``swarmops.compliance.measure`` on every tool call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from swarmops.compliance.baseline import compare_to_baseline, load_baseline, write_baseline
    from swarmops.compliance.cache import DEFAULT_CACHE_DIR
    from swarmops.compliance.models import Finding, ScanReport
    from swarmops.compliance.record import record_run
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


_HOMES = {
    "DEFAULT_CACHE_DIR": "cache",
    "RULES": "rules",
    "Finding": "models",
    "RuleSet": "rules",
    "ScanReport": "models",
    "Severity": "rules",
    "compare_to_baseline": "baseline",
    "load_baseline": "baseline",
    "load_rules": "sources",
    "record_run": "record",
    "resolve_rules": "sources",
    "scan": "scanner",
    "write_baseline": "baseline",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(f"swarmops.compliance.{home}"), name)
