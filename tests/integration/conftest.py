"""Fixtures shared by the command-line tests of this folder."""

from __future__ import annotations

from collections.abc import Callable
from subprocess import CompletedProcess
from typing import Any

import pytest

from swarmops.store import Store
from swarmops.testing import seed_agent
from tests.refusals import in_process


@pytest.fixture
def web_pair_cli(
    store: Store, store_url: str, capsys: Any, monkeypatch: Any
) -> Callable[..., CompletedProcess[str]]:
    """``swarmops --store-url URL ARGS`` in-process against agents a1 and a2 (role web)."""
    seed_agent(store, "a1", "web")
    seed_agent(store, "a2", "web")
    return in_process(store_url, capsys, monkeypatch)
