"""The swarmops command line (Typer).

``swarmops hook …`` runs on every tool call of an agent, so ``main`` hands it to
``swarmops.hooks.run`` before Typer, rich or any command module is imported.
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
    from swarmops.cli.app import main as app_main

    app_main(args)


def __getattr__(name: str) -> Any:
    if name == "app":
        from swarmops.cli.app import app

        return app
    raise AttributeError(name)
