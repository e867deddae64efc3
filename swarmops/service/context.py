"""What every service call needs besides its unit and caller, built once per process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from swarmops.compliance.baseline import Baseline
from swarmops.compliance.rules import RuleSet
from swarmops.fsm import Machine
from swarmops.settings import CoordinationSettings, Settings


def _ignore(_seconds: float) -> None:
    return None


@dataclass(frozen=True)
class Services:
    """The machine, the bus policy, the compliance rules and baseline, and a metrics hook."""

    machine: Machine
    policy: CoordinationSettings
    rules: RuleSet
    rules_source: str
    baseline: Baseline | None
    observe_transition: Callable[[float], None] = field(default=_ignore)


def build_services(settings: Settings) -> Services:
    """Read the declared machine, rules and (when present) baseline once."""
    from swarmops.compliance import load_baseline, resolve_rules
    from swarmops.fsm import load_agent_machine

    rules, source = resolve_rules(None, settings, settings.compliance.roots)
    path = settings.compliance.baseline
    baseline = load_baseline(path) if path.exists() else None
    return Services(
        machine=load_agent_machine(settings.fsm),
        policy=settings.coordination,
        rules=rules,
        rules_source=source,
        baseline=baseline,
    )
