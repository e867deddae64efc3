"""swarmops: the operations control plane for a swarm of autonomous agents."""

from __future__ import annotations

from typing import Any

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:
    """``__version__`` is read from the installed metadata on first use: importing
    ``importlib.metadata`` costs tens of milliseconds, paid by every edit hook if eager."""
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("swarmops")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"
