"""Artifacts a person reads in the Prefect UI, under stable keys so each report's
history lines up run after run (keys: lowercase letters, digits and dashes, all
``swarmops-``; one key per table). Cells are shown in human units: seconds as ms or
s, ratios and other floats rounded, yes/no for booleans, times to the second."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from prefect.artifacts import create_markdown_artifact, create_table_artifact

PREFIX = "swarmops"


def key(name: str) -> str:
    """The stable artifact key for ``name`` (``swarmops-<name>``)."""
    return f"{PREFIX}-{name}".lower().replace("_", "-")


def markdown(name: str, text: str, description: str) -> UUID:
    """A Markdown report under ``swarmops-<name>``."""
    return cast(UUID, create_markdown_artifact(text, key=key(name), description=description))


def table(name: str, rows: Sequence[dict[str, Any]], description: str) -> UUID:
    """A table under ``swarmops-<name>``; an empty table says so in its description."""
    shown = [{k: cell(k, v) for k, v in row.items()} for row in rows]
    text = description if shown else f"{description} (none this run)"
    return cast(UUID, create_table_artifact(shown, key=key(name), description=text))


def cell(column: str, value: Any) -> Any:
    """A value as a person reads it; a column named ``*_s`` holds seconds."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return seconds(value) if column.endswith("_s") else f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
    return value if value is None or isinstance(value, int | str) else str(value)


def seconds(value: float) -> str:
    """``0.0171`` as ``17.1 ms``, ``2.5`` as ``2.50 s``, ``125`` as ``2 min 5 s``."""
    if value < 1:
        return f"{value * 1000:.1f} ms"
    if value < 60:
        return f"{value:.2f} s"
    return f"{int(value // 60)} min {int(value % 60)} s"
