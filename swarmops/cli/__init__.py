"""The swarmops command line (Typer)."""

from __future__ import annotations

from swarmops.cli.app import app, main

__all__ = ["app", "main"]
