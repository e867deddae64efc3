"""Values on the driver hot path, converted exactly as the Core column types would.

SQLite keeps timestamps as naive UTC text and JSON as text; psycopg returns aware
datetimes and decoded JSON. ``Unit.raw`` statements bind and read through these.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple


class Codec(NamedTuple):
    """One database's conversions for plain-SQL statements."""

    encode_time: Callable[[datetime], Any]
    decode_time: Callable[[Any], datetime]
    decode_json: Callable[[Any], Any]


def _sqlite_time(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_read_time(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


CODECS = {
    "sqlite": Codec(_sqlite_time, _sqlite_read_time, json.loads),
    "postgresql": Codec(lambda value: value, lambda value: value.astimezone(UTC), lambda v: v),
}
