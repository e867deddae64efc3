"""The rule set a scan runs with: limits, gui globs, includes, excludes and overrides.

``profile_for`` turns it into the flat limits one file gets (gui globs and
per-path overrides applied), which is what the worker processes receive.
"""

from __future__ import annotations

import hashlib
import json
from functools import cached_property

import pathspec
from pydantic import Field, field_validator, model_validator

from swarmops.compliance.budget import DEFAULT_MAX_TOKENS
from swarmops.compliance.limits import (
    ConfigModel,
    GuiRules,
    Override,
    RuleLimit,
    check_rule_ids,
    default_rules,
)
from swarmops.compliance.registry import (
    FIXED_SEVERITY,
    MEASURED,
    RULES,
    SEVERITY_RANK,
    RuleInfo,
    Severity,
)

__all__ = [
    "FIXED_SEVERITY",
    "MEASURED",
    "RULES",
    "SEVERITY_RANK",
    "Profile",
    "RuleInfo",
    "RuleLimit",
    "RuleSet",
    "Severity",
]


RULES_VERSION = 2
DEFAULT_EXCLUDE = [
    ".git/",
    ".venv/",
    "venv/",
    "__pycache__/",
    ".swarmops/",
    ".tox/",
    ".nox/",
    "build/",
    "dist/",
    "*.egg-info/",
    "node_modules/",
    "/tests/fixtures/compliance/",
    "/fixtures/compliance/",  # the same, when tests/ is the scanned root
]


class RuleSet(ConfigModel):
    """Everything a scan needs to judge files; the defaults are config/v2_rules.yaml."""

    version: int = Field(default=RULES_VERSION, strict=True)
    max_file_bytes: int = Field(default=2_000_000, strict=True, gt=0, le=100_000_000)
    # The tokens one file may have before it is too complex to measure (see budget.py).
    max_file_tokens: int = Field(default=DEFAULT_MAX_TOKENS, strict=True, gt=0, le=10_000_000)
    rules: dict[str, RuleLimit] = Field(default_factory=default_rules)
    gui: GuiRules = Field(default_factory=GuiRules)
    include: list[str] = Field(default_factory=lambda: ["*.py"], min_length=1)
    exclude: list[str] = Field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    overrides: list[Override] = Field(default_factory=list)

    @field_validator("version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version != RULES_VERSION:
            raise ValueError(f"unknown version {version}; this swarmops reads {RULES_VERSION}")
        return version

    @model_validator(mode="after")
    def _complete(self) -> RuleSet:
        check_rule_ids(self.rules)
        missing = [rule for rule in MEASURED if rule not in self.rules]
        if missing:
            defaults = default_rules()
            self.rules.update({rule: defaults[rule] for rule in missing})
        return self

    @cached_property
    def digest(self) -> str:
        """A hash of the rules, so caches built with other rules are not reused."""
        text = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @cached_property
    def _specs(self) -> tuple[pathspec.PathSpec, list[pathspec.PathSpec]]:
        gui = pathspec.GitIgnoreSpec.from_lines(self.gui.globs)
        return gui, [pathspec.GitIgnoreSpec.from_lines(o.paths) for o in self.overrides]

    @cached_property
    def _profiles(self) -> dict[tuple[bool, ...], Profile]:
        return {}

    def profile_for(self, relpath: str) -> Profile:
        """The flat limits for one file (path relative to its root, '/' separated)."""
        gui, override_specs = self._specs
        key = (gui.match_file(relpath), *(spec.match_file(relpath) for spec in override_specs))
        if key not in self._profiles:
            self._profiles[key] = self._build_profile(key)
        return self._profiles[key]

    def _build_profile(self, matches: tuple[bool, ...]) -> Profile:
        rules = dict(self.rules)
        if matches[0]:
            rules["file-lines"] = self.gui.file_lines.apply(rules["file-lines"])
        for override, matched in zip(self.overrides, matches[1:], strict=True):
            if matched:
                for rule, patch in override.rules.items():
                    rules[rule] = patch.apply(rules[rule])
        return tuple(_flat(rules[rule]) for rule in MEASURED)


# Per measured rule, in MEASURED order: (limit or None when disabled, severity, critical).
Profile = tuple[tuple[int | None, str, int | None], ...]


def _flat(limit: RuleLimit) -> tuple[int | None, str, int | None]:
    return (limit.limit if limit.enabled else None, limit.severity.value, limit.critical())
