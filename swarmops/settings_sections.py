"""The sections of the settings file: each a frozen model that refuses unknown keys."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class Section(BaseModel):
    """A settings section: frozen, and an unknown key is an error, not a silent typo."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CoordinationSettings(Section):
    heartbeat_timeout_s: float = Field(default=300, gt=0)
    lease_s: float = Field(default=60, gt=0)
    max_attempts: int = Field(default=5, ge=1)
    max_body_bytes: int = Field(default=262144, ge=1)


class ProgressSettings(Section):
    stall_after_h: float = Field(default=24, gt=0)
    velocity_window_d: float = Field(default=7, gt=0)


class ComplianceSettings(Section):
    rules: Path = Path("config/v2_rules.yaml")
    roots: list[Path] = Field(default_factory=lambda: [Path(".")])
    baseline: Path = Path(".swarmops/baseline.json")


class HealthSettings(Section):
    probes: Path = Path("config/health.yaml")
    slo: float = Field(default=0.999, gt=0, le=1)
