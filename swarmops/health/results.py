"""What a probe round produces: one result per target, and the alerts it changed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict


class ProbeResult(BaseModel):
    """One probe's outcome; ``target`` is the probe's name."""

    model_config = ConfigDict(frozen=True)

    target: str
    kind: str
    ok: bool
    latency_s: float
    detail: str
    at: datetime
    optional: bool = False


class AlertChange(BaseModel):
    """A ``probe.failed`` alert raised or resolved by a round, for events and notices."""

    model_config = ConfigDict(frozen=True)

    action: Literal["raised", "resolved"]
    kind: str
    target: str
    severity: str
    message: str
    at: datetime


class HealthRound(BaseModel):
    """A whole round: every result, the verdict and the alerts it raised or resolved."""

    model_config = ConfigDict(frozen=True)

    results: list[ProbeResult]
    ok: bool
    raised: list[AlertChange] = []
    resolved: list[AlertChange] = []

    def summary(self) -> dict[str, object]:
        """The ``health check --format json`` document."""
        return {"results": self.results, "ok": self.ok}
