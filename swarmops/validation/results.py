"""The validation result model: plain pydantic, so flows and the CLI need no GX types."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FailedExpectation(BaseModel):
    """One expectation that did not hold, with a few of the offending values."""

    model_config = ConfigDict(frozen=True)

    suite: str
    expectation: str
    column: str | None
    unexpected_count: int | None
    sample: tuple[str, ...] = ()

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        count = f": {self.unexpected_count} unexpected" if self.unexpected_count else ""
        sample = f" (e.g. {', '.join(self.sample)})" if self.sample else ""
        return f"{self.suite}: {self.expectation}{where}{count}{sample}"


class SuiteResult(BaseModel):
    """One suite over one table."""

    model_config = ConfigDict(frozen=True)

    name: str
    rows: int
    evaluated: int
    success: bool
    failed: tuple[FailedExpectation, ...] = ()


class ValidationReport(BaseModel):
    """Every suite's result; ``success`` only when every expectation held."""

    model_config = ConfigDict(frozen=True)

    suites: tuple[SuiteResult, ...]

    @property
    def success(self) -> bool:
        return all(suite.success for suite in self.suites)

    def failures(self) -> list[FailedExpectation]:
        return [failure for suite in self.suites for failure in suite.failed]
