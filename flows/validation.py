"""validation: health, SLO probes, an end-to-end smoke, the compliance gate, data suites.

Invariant: the stage passes only when every check passes; a failed check fails the
flow run with the check's name and reason, in the exception and in the report
artifact. The smoke runs in a scratch namespace and leaves nothing behind.
Run ad hoc: ``python -m flows.validation``.
"""

from __future__ import annotations

import importlib

from prefect import flow

from flows._stage import DEFAULTS, FlowParams, StageOutcome, StageRun, Step, run_name, stage_run
from swarmops.fsm import VerifyReport
from swarmops.pipeline import Check, ValidationReport, validation_report
from tasks import reports
from tasks.contracts import validate_data
from tasks.fsm import verify_agents
from tasks.health import probe_round
from tasks.pipeline import compliance_delta, load_desired, slo_probes, smoke

# Great Expectations takes seconds to import. The pipeline starts the import in the
# background beside its first stages; validation waits for it before the SLO probes,
# so no timed probe ever shares the interpreter with it.
HEAVY_IMPORT = "great_expectations.expectations"


def preload() -> None:
    """Import the data suites' library (returns at once when it is already imported,
    and waits when another thread is importing it)."""
    importlib.import_module(HEAVY_IMPORT)


def replay_check(verified: VerifyReport) -> Check:
    """The agent event log replayed against the projection, as one check."""
    reason = f"{verified.agents} agents replay to their projection"
    if not verified.ok:
        reason = "; ".join(f"{d.agent_id} {d.what}" for d in verified.differences)
    return Check(name="agent log replay", ok=verified.ok, reason=reason)


def validate(run: StageRun) -> ValidationReport:
    """SLO probes first and alone (they are timed); the scan runs beside the other checks."""
    preload()
    slo = slo_probes(run.settings)
    delta = compliance_delta.submit(load_desired(run.settings))
    health = probe_round(run.settings)
    ran_smoke = smoke(run.settings)
    suites = validate_data(run.store_url)
    parts = validation_report(health, slo, ran_smoke, delta.result(), suites)
    replayed = replay_check(verify_agents(run.store_url, run.settings.fsm))
    report = ValidationReport(checks=(*parts.checks, replayed), sections=parts.sections)
    reports.table("slo", slo.rows(), "Each SLO probe's measured time against its target.")
    gate = "New findings at or above the gate's severity: each one fails validation."
    reports.table("gate-violations", delta.result().rows(), gate)
    reports.table("validation-checks", report.rows(), "Every validation check and its reason.")
    return report


@flow(name="validation", flow_run_name=run_name("validation stage"))
def validation(params: FlowParams = DEFAULTS) -> StageOutcome:
    """Health, SLO probes, an end-to-end smoke, the compliance gate, the data suites and
    the agent-log replay; fails naming every check that did not pass."""
    with stage_run("validation", params) as run:
        report = validate(run)
        summary = report.reason() or f"{len(report.checks)} checks passed"
        step = Step(name="checks", ok=report.ok, summary=summary, markdown=report.markdown())
        return run.finish([step])


if __name__ == "__main__":
    print("\n".join(validation().lines()))
