"""The validation stage's verdict: every check it ran, each with ok and a reason.

The stage fails when any check fails, and ``reason`` says which and why, so the
failed flow run and its report artifact name the cause in one line.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from swarmops.health import HealthRound
from swarmops.pipeline.codegate import ComplianceDelta
from swarmops.pipeline.report import Check, checks_markdown
from swarmops.pipeline.slo import SloReport
from swarmops.pipeline.smoke import SmokeReport
from swarmops.validation import ValidationReport as SuitesReport


class ValidationReport(BaseModel):
    """All validation checks, and the parts they came from for the detailed sections."""

    model_config = ConfigDict(frozen=True)

    checks: tuple[Check, ...]
    sections: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]

    def reason(self) -> str:
        """One line naming every failed check and why (empty when all passed)."""
        return "; ".join(f"{check.name}: {check.reason}" for check in self.failures)

    def rows(self) -> list[dict[str, object]]:
        return [check.model_dump() for check in self.checks]

    def markdown(self) -> str:
        verdict = "passed" if self.ok else f"FAILED ({len(self.failures)} check(s))"
        parts = [f"## Validation {verdict}", checks_markdown(self.checks), *self.sections]
        return "\n\n".join(parts)


def health_checks(health: HealthRound) -> list[Check]:
    """One check per probed target (an optional target's failure does not fail the stage)."""
    return [
        Check(
            name=f"health {result.target}",
            ok=result.ok or result.optional,
            reason=result.detail or ("up" if result.ok else "down"),
        )
        for result in health.results
    ]


def suite_checks(suites: SuitesReport) -> list[Check]:
    """One check per Great Expectations suite, naming the expectations that failed."""
    return [
        Check(
            name=f"data suite {suite.name}",
            ok=suite.success,
            reason="; ".join(f.describe() for f in suite.failed)
            or f"{suite.evaluated} expectations held over {suite.rows} rows",
        )
        for suite in suites.suites
    ]


def validation_report(
    health: HealthRound | None = None,
    slo: SloReport | None = None,
    smoke: SmokeReport | None = None,
    compliance: ComplianceDelta | None = None,
    suites: SuitesReport | None = None,
) -> ValidationReport:
    """Aggregate whatever parts the stage ran into one verdict."""
    checks = [*(health_checks(health) if health else [])]
    checks += [*(slo.checks() if slo else [])]
    checks += [Check(name="smoke", ok=smoke.ok, reason=_smoke_reason(smoke))] if smoke else []
    checks += [compliance.check()] if compliance else []
    checks += suite_checks(suites) if suites else []
    sections = [part.markdown() for part in (slo, smoke, compliance) if part is not None]
    return ValidationReport(checks=tuple(checks), sections=tuple(sections))


def _smoke_reason(smoke: SmokeReport) -> str:
    failed = [check for check in smoke.checks if not check.ok]
    if failed:
        return f"step {failed[0].name!r} failed: {failed[0].reason}"
    return f"{len(smoke.checks)} steps passed"
