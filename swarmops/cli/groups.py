"""The command groups, in the order ``swarmops --help`` lists them.

Each capability adds its Typer group here; a group module imports only what its
commands need at import time.
"""

from __future__ import annotations

import typer

GROUPS: list[tuple[str, typer.Typer]] = []
