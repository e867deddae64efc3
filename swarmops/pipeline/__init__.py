"""The pipeline stages' domain logic: pure functions the Prefect flows call (no Prefect here).

- assessment: ``load_desired``, ``analyse_gaps``, ``plan_resources``
- deployment: ``apply_desired`` (one transaction), ``rollback``
- validation: ``run_slo_probes``, ``run_smoke``, ``compliance_delta`` (the gate),
  ``validation_report`` aggregating every check (health round, SLO probes, smoke,
  compliance gate, the GX suites of ``swarmops.validation.validate_store``)
- every stage: ``record_stage_run``; each result has ``markdown()`` for the stage's
  report artifact and, where a table fits, ``rows()``.
"""

from __future__ import annotations

from swarmops.pipeline.apply import ApplyResult, apply_desired
from swarmops.pipeline.capacity import ResourcePlan, SkillDemand, plan_resources
from swarmops.pipeline.codegate import ComplianceDelta, compliance_delta
from swarmops.pipeline.desired import DesiredState, load_desired
from swarmops.pipeline.gaps import GapReport, analyse_gaps
from swarmops.pipeline.probing import probe_unrecorded, store_state
from swarmops.pipeline.report import Check
from swarmops.pipeline.rollback import RollbackResult, rollback
from swarmops.pipeline.slo import SLO_TARGETS, SloProbe, SloReport, run_slo_probes
from swarmops.pipeline.smoke import SmokeReport, run_smoke
from swarmops.pipeline.stages import record_stage_run
from swarmops.pipeline.validation import (
    ValidationReport,
    health_checks,
    suite_checks,
    validation_report,
)

__all__ = [
    "SLO_TARGETS",
    "ApplyResult",
    "Check",
    "ComplianceDelta",
    "DesiredState",
    "GapReport",
    "ResourcePlan",
    "RollbackResult",
    "SkillDemand",
    "SloProbe",
    "SloReport",
    "SmokeReport",
    "ValidationReport",
    "analyse_gaps",
    "apply_desired",
    "compliance_delta",
    "health_checks",
    "load_desired",
    "plan_resources",
    "probe_unrecorded",
    "record_stage_run",
    "rollback",
    "run_slo_probes",
    "run_smoke",
    "store_state",
    "suite_checks",
    "validation_report",
]
