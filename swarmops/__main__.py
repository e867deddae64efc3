"""``python -m swarmops``: the same as the ``swarmops`` console script."""

from __future__ import annotations

from swarmops.cli import main

main()
