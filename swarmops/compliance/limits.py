"""A rule's limit and severities, and the patches gui globs and overrides apply.

Every number has a declared range and its exact type (a YAML ``"30"`` or ``true`` is
not a limit), so a nonsensical rules file is refused naming its key, never guessed at.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from swarmops.compliance.registry import MEASURED, Severity

MAX_LIMIT = 1_000_000_000
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_LIMIT)]
Factor = Annotated[float, Field(strict=True, gt=0, le=1000, allow_inf_nan=False)]
Switch = Annotated[bool, Field(strict=True)]


class ConfigModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RuleLimit(ConfigModel):
    """A rule's limit and the severities above it."""

    limit: Count
    severity: Severity = Severity.major
    critical_above: Count | None = None
    critical_factor: Factor | None = None
    enabled: Switch = True

    def critical(self) -> int | None:
        """The value above which a finding is critical, if any."""
        if self.critical_above is not None:
            return self.critical_above
        if self.critical_factor is not None:
            return int(self.limit * self.critical_factor)
        return None


class RulePatch(ConfigModel):
    """A partial RuleLimit: only the keys given replace the base rule's."""

    limit: Count | None = None
    severity: Severity | None = None
    critical_above: Count | None = None
    critical_factor: Factor | None = None
    enabled: Switch | None = None

    def apply(self, base: RuleLimit) -> RuleLimit:
        return base.model_copy(update=self.model_dump(exclude_none=True))


class Override(ConfigModel):
    """Rules patched for the files matching ``paths``, with the reason the limit does not fit."""

    paths: list[str] = Field(min_length=1)
    rules: dict[str, RulePatch] = Field(min_length=1)
    reason: str = Field(min_length=1)

    @model_validator(mode="after")
    def _known(self) -> Override:
        check_rule_ids(self.rules)
        return self


class GuiRules(ConfigModel):
    globs: list[str] = Field(default_factory=lambda: ["**/gui/**", "**/*_gui.py"])
    file_lines: RulePatch = Field(
        default_factory=lambda: RulePatch(limit=600, critical_above=900), alias="file-lines"
    )


def default_rules() -> dict[str, RuleLimit]:
    major, minor = Severity.major, Severity.minor
    return {
        "file-lines": RuleLimit(limit=400, severity=major, critical_above=600),
        "function-lines": RuleLimit(limit=30, severity=major, critical_factor=2),
        "class-lines": RuleLimit(limit=200, severity=major, critical_factor=2),
        "function-params": RuleLimit(limit=5, severity=minor),
        "functions-per-file": RuleLimit(limit=10, severity=minor),
        "classes-per-file": RuleLimit(limit=5, severity=minor),
        "enums-per-file": RuleLimit(limit=3, severity=minor),
    }


def check_rule_ids(rules: Mapping[str, object]) -> None:
    """Only measured rules can be configured."""
    unknown = sorted(set(rules) - set(MEASURED))
    if unknown:
        raise ValueError(f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(MEASURED)}")
