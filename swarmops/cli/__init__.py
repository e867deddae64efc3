"""The swarmops command line (Typer), with a thin-client path for the agent-facing commands.

``main`` sends the routed agent-facing commands to the gateway when
``SWARMOPS_API_URL`` and ``SWARMOPS_TOKEN`` are set (``swarmops.cli.remote``), before
anything heavy is imported; everything else runs the direct-mode Typer app.
"""

from __future__ import annotations

import sys
from typing import Any


def main(argv: list[str] | None = None) -> None:
    from swarmops.cli.remote import run_remote, wants_remote

    args = list(sys.argv[1:] if argv is None else argv)
    if wants_remote(args):
        sys.exit(run_remote(args))
    from swarmops.cli.app import main as direct

    direct(argv)


def __getattr__(name: str) -> Any:
    if name == "app":
        from swarmops.cli.app import app

        return app
    raise AttributeError(name)


__all__ = ["app", "main"]
