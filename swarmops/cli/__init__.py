"""The swarmops command line (Typer), with two fast paths taken before anything heavy loads.

``swarmops hook …`` runs on every tool call of an agent, so ``main`` hands it to
``swarmops.hooks.run`` before Typer, rich or any command module is imported; the
agent-facing commands go to the gateway when ``SWARMOPS_API_URL`` and
``SWARMOPS_TOKEN`` are set (``swarmops.cli.remote``); everything else runs the
direct-mode Typer app.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Console entry point (``swarmops``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["hook"] and not {"--help", "-h"} & set(args):
        from swarmops.hooks.run import run

        sys.exit(run(args[1:]))
    from swarmops.cli.remote import run_remote, wants_remote

    if wants_remote(args):
        sys.exit(run_remote(args))
    from swarmops.cli.app import main as direct

    direct(args)


def __getattr__(name: str) -> Any:
    if name == "app":
        from swarmops.cli.app import app

        return app
    raise AttributeError(name)
