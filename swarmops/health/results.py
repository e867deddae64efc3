"""What a probe round produces: one result per target, and the alerts it changed."""

from __future__ import annotations

from collections.abc import Collection, Sequence
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
    """A whole round: every result, the verdict and the alerts it raised or resolved;
    ``not_stored`` says why a round that was probed was not stored, if it was not."""

    model_config = ConfigDict(frozen=True)

    results: list[ProbeResult]
    ok: bool
    raised: list[AlertChange] = []
    resolved: list[AlertChange] = []
    not_stored: str | None = None

    @classmethod
    def unrecorded(cls, results: list[ProbeResult], why: str) -> HealthRound:
        """A round that was probed and not stored: failed required probes fail it."""
        ok = all(r.ok for r in results if not r.optional)
        return cls(results=results, ok=ok, not_stored=why)

    def summary(self) -> dict[str, object]:
        """The ``health check --format json`` document."""
        return {
            "results": self.results,
            "ok": self.ok,
            "summary": headline(self.results),
            "not_stored": self.not_stored,
        }


def headline(results: Sequence[ProbeResult], tolerated: Collection[str] = ()) -> str:
    """Every target counted, e.g. "3 targets: 2 up, 1 optional down (prefect-api)": never
    "all up" while one is down. ``tolerated`` probe kinds are down but do not fail."""
    down = [r for r in results if not r.ok]
    groups = (
        ("down", [r.target for r in down if not r.optional and r.kind not in tolerated]),
        ("tolerated down", [r.target for r in down if not r.optional and r.kind in tolerated]),
        ("optional down", [r.target for r in down if r.optional]),
    )
    parts = [f"{len(results) - len(down)} up"]
    parts += [f"{len(names)} {what} ({', '.join(names)})" for what, names in groups if names]
    return f"{len(results)} targets: {', '.join(parts)}"
