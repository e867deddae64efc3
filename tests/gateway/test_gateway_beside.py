"""``swarmops serve --gateway [HOST:]PORT``: the address is read as the README says, a bad
one or a taken port is one line and exit 2 before anything starts, and the gateway beside
the deployments serves until stopped."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from gateway_seed import settings_for

from swarmops.errors import BadInput, NoStore
from swarmops.gateway.server import Bind, listen, start_beside
from swarmops.store import open_store
from tests.refusals import assert_refused, swarmops


@pytest.mark.parametrize(
    ("text", "bind"),
    [
        ("8787", Bind("127.0.0.1", 8787)),
        ("0", Bind("127.0.0.1", 0)),
        ("0.0.0.0:80", Bind("0.0.0.0", 80)),
        ("localhost:9000", Bind("localhost", 9000)),
        ("[::1]:9000", Bind("::1", 9000)),
        (":9000", Bind("127.0.0.1", 9000)),
    ],
)
def test_an_address_is_port_or_host_and_port(text: str, bind: Bind) -> None:
    assert Bind.parse(text) == bind


@pytest.mark.parametrize("text", ["", "http", "host:", "1:65536", "-1", "1.5", "80:x", "٣"])
def test_a_bad_gateway_address_is_one_line_and_exit_2(text: str, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'x.db'}"
    result = swarmops("--store-url", store, "serve", "--gateway", text, cwd=tmp_path)
    assert_refused(result, "--gateway", "[HOST:]PORT")
    assert not (tmp_path / ".swarmops").exists()  # refused before Prefect was prepared


def test_no_store_is_refused_and_frees_the_address(store_url: str, tmp_path: Path) -> None:
    with pytest.raises(NoStore, match="run swarmops init"):
        start_beside(settings_for(store_url, tmp_path), Bind("127.0.0.1", 0))


def test_a_taken_port_is_refused_and_a_free_one_serves(store_url: str, tmp_path: Path) -> None:
    open_store(store_url, create=True).dispose()
    settings = settings_for(store_url, tmp_path)
    with listen(Bind("127.0.0.1", 0)) as taken, pytest.raises(BadInput, match="in use"):
        start_beside(settings, Bind(*taken.getsockname()[:2]))
    running = start_beside(settings, Bind("127.0.0.1", 0))
    url = f"http://127.0.0.1:{running.bind.port}"
    try:
        assert httpx.get(f"{url}/readyz", timeout=10).status_code == 200
    finally:
        running.stop()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/healthz", timeout=2)
