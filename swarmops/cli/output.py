"""Printing data: JSON on stdout as one document, or a rich table for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

# Rows printed to a pipe, a file or a CI log are read whole (grep, less -S), never cut to
# a terminal's width: rich would otherwise assume 80 columns and wrap or elide cells.
UNWRAPPED_WIDTH = 10_000


class Format(StrEnum):
    table = "table"
    json = "json"


def to_jsonable(value: Any) -> Any:
    """pydantic models, dates, paths and enums as plain JSON values."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value


def emit_json(data: Any) -> None:
    """One strict JSON document (RFC 8259): a NaN or an infinity is a bug, never ``NaN``."""
    sys.stdout.write(json.dumps(to_jsonable(data), indent=2, allow_nan=False) + "\n")


def console() -> Console:
    """A console for stdout: a terminal's own width, or no width limit when not a TTY."""
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=UNWRAPPED_WIDTH)


def emit_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if cell is None else str(to_jsonable(cell)) for cell in row))
    console().print(table)


def emit_line(text: str) -> None:
    sys.stdout.write(text + "\n")
