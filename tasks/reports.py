"""Artifacts a person reads in the Prefect UI, under stable keys so each report's
history lines up run after run (keys: lowercase letters, digits and dashes)."""

from __future__ import annotations

from collections.abc import Sequence
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
    shown = [{k: _cell(v) for k, v in row.items()} for row in rows]
    text = description if shown else f"{description} (none)"
    return cast(UUID, create_table_artifact(shown, key=key(name), description=text))


def _cell(value: Any) -> Any:
    """JSON-friendly cell: numbers, text and None as they are, anything else as text."""
    return value if value is None or isinstance(value, int | float | str | bool) else str(value)
