"""The command groups and top-level commands, in the order ``swarmops --help`` lists them.

Each capability adds its Typer group to GROUPS (or a plain command function to
COMMANDS) here; a module listed here imports only what its commands need at
import time, so no heavy library loads for agent-facing commands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

GROUPS: list[tuple[str, typer.Typer]] = []
COMMANDS: list[Callable[..., Any]] = []
