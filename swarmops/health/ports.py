"""The I/O a probe needs, as protocols; real implementations live in ``clients.py``,
fakes in ``swarmops.testing``."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from swarmops.clock import Clock

if TYPE_CHECKING:
    from swarmops.store import Store


@dataclass(frozen=True)
class HttpReply:
    """What a probe reads from an HTTP answer."""

    status: int
    text: str


class HttpClient(Protocol):
    """Sends one HTTP request; raises OSError-like errors when it cannot."""

    async def request(self, method: str, url: str, timeout_s: float) -> HttpReply: ...


class TcpConnector(Protocol):
    """Opens (and closes) a TCP connection; raises OSError when refused."""

    async def connect(self, host: str, port: int, timeout_s: float) -> None: ...


class DiskGauge(Protocol):
    """Free and total bytes of the file system holding ``path``."""

    def usage(self, path: Path) -> tuple[int, int]: ...


@dataclass(frozen=True)
class ProbeContext:
    """Everything a round's probes reach: I/O clients, the store, the clock.

    ``http`` may be None: the round then opens a real httpx client for itself.
    ``prefect_api_url`` is read from PREFECT_API_URL at the edge, never here.
    ``store_url`` is the store the store probe opens itself when ``store`` is None (the
    caller could not open it: the probe then reports why, and the other probes still run).
    """

    tcp: TcpConnector
    disk: DiskGauge
    clock: Clock
    store: Store | None = None
    store_url: str | None = None
    prefect_api_url: str | None = None
    http: HttpClient | None = None
    executor: Executor | None = None
