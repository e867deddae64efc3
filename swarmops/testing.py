"""Fakes for tests and benchmarks, shipped with the package so users' tests can use them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

DEFAULT_EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class FrozenClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime = DEFAULT_EPOCH) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        """Move forward by ``seconds`` (and/or timedelta keywords); returns the new time."""
        self._now += timedelta(seconds=seconds, **delta)
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment
