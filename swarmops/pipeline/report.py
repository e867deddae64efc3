"""What every stage result shares: named checks and Markdown for the stage's report artifact."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict


class Check(BaseModel):
    """One thing a stage checked: its name, whether it passed, and why."""

    model_config = ConfigDict(frozen=True)

    name: str
    ok: bool
    reason: str


def markdown_table(columns: Sequence[str], rows: Iterable[Iterable[Any]]) -> str:
    """A GitHub-flavoured Markdown table; pipes in cells are escaped so rows stay aligned."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = ("" if cell is None else str(cell).replace("|", "\\|") for cell in row)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def checks_markdown(checks: Sequence[Check]) -> str:
    """The checks as a pass/fail table, failures first so a reader sees them at once."""
    ordered = sorted(checks, key=lambda check: check.ok)
    rows = [("pass" if c.ok else "**FAIL**", c.name, c.reason) for c in ordered]
    return markdown_table(("result", "check", "reason"), rows)


def bullet_list(items: Iterable[str], empty: str = "none") -> str:
    """Markdown bullets, or one line saying there is nothing."""
    lines = [f"- {item}" for item in items]
    return "\n".join(lines) if lines else f"_{empty}_"
