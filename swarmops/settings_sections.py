"""The sections of the settings file: each a frozen model that refuses unknown keys."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from swarmops.limits import Days, Hours, Seconds

MAX_BODY_BYTES = 64 * 1024 * 1024  # a message is a row: beyond this, use a file and send its path


class Section(BaseModel):
    """A settings section: frozen, and an unknown key is an error, not a silent typo."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CoordinationSettings(Section):
    heartbeat_timeout_s: Seconds = 300
    lease_s: Seconds = 60
    max_attempts: int = Field(default=5, ge=1, le=1000)
    max_body_bytes: int = Field(default=262144, ge=1, le=MAX_BODY_BYTES)


class ProgressSettings(Section):
    stall_after_h: Hours = 24
    velocity_window_d: Days = 7


class ComplianceSettings(Section):
    rules: Path = Path("config/v2_rules.yaml")
    roots: list[Path] = Field(default_factory=lambda: [Path(".")])
    baseline: Path = Path(".swarmops/baseline.json")


class HealthSettings(Section):
    probes: Path = Path("config/health.yaml")
    slo: float = Field(default=0.999, gt=0, le=1, allow_inf_nan=False)
