"""Running the gateway: in the foreground (``swarmops gateway``) or beside the deployments.

``swarmops serve --gateway [HOST:]PORT`` runs it in the same process as the Prefect
deployments with ``start_beside`` (a uvicorn server on a thread of its own, on a
socket bound before it starts, so a taken port is one line) and ``Running.stop()`` on
the way out. ``swarmops gateway --workers N`` runs N processes on
one listening socket (uvicorn's supervisor): one process is bound to one core by its
interpreter lock, and a replica keeps nothing another needs, so they share the store
as replicas on several hosts do.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from swarmops.errors import BadInput, StoreError
from swarmops.settings import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
POOL_SIZE = 16  # PostgreSQL: the writer, the readers of the thread pool and the listener


@dataclass(frozen=True)
class Bind:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT

    @classmethod
    def parse(cls, text: str) -> Bind:
        """``PORT``, ``HOST:PORT`` or ``[IPv6]:PORT``; the host defaults to loopback."""
        host, _, port = text.rpartition(":")
        host = host.removeprefix("[").removesuffix("]") or DEFAULT_HOST
        if not (port.isascii() and port.isdigit()) or not 0 <= int(port) <= 65535:
            raise BadInput(f"--gateway {text!r}: expected [HOST:]PORT with a port 0-65535")
        return cls(host, int(port))


def build_app(settings: Settings, bind: Bind) -> Any:
    """The ASGI app over the configured store (migrated on first use; none there is
    ``NoStore``: only ``swarmops init`` creates one)."""
    from swarmops.gateway.app import create_app
    from swarmops.gateway.core import Gateway
    from swarmops.service import build_services
    from swarmops.store import open_store

    store = open_store(settings.store_url, pool_size=POOL_SIZE, max_overflow=POOL_SIZE)
    return create_app(Gateway(store, build_services(settings)), host=bind.host)


def _config(app: Any, bind: Bind, workers: int = 1) -> Any:
    import uvicorn

    return uvicorn.Config(
        app,
        host=bind.host,
        port=bind.port,
        workers=workers,
        factory=workers > 1,  # each worker process builds its own app (store, writer)
        log_level="warning",
        access_log=False,
        lifespan="on",
    )


def _server(settings: Settings, bind: Bind) -> Any:
    import uvicorn

    return uvicorn.Server(_config(build_app(settings, bind), bind))


def listen(bind: Bind) -> socket.socket:
    """The listening socket. TCP_NODELAY is inherited by every accepted connection: without
    it a response's header and body writes wait out the peer's delayed ACK (about 40 ms)."""
    listening = socket.create_server((bind.host, bind.port))
    listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return listening


def serve(settings: Settings, bind: Bind, workers: int = 1) -> None:
    """Serve in the foreground until interrupted; port 0 picks a free port. The address
    is printed on stderr once the socket is bound (and, with one process, the app built)."""
    listening = listen(bind)
    bound = Bind(*listening.getsockname()[:2])
    run = _one_process(settings, bound) if workers == 1 else _processes(settings, bound, workers)
    sys.stderr.write(f"swarmops gateway listening on http://{bound.host}:{bound.port}\n")
    sys.stderr.flush()
    run(listening)


def _one_process(settings: Settings, bind: Bind) -> Callable[[socket.socket], None]:
    server = _server(settings, bind)
    return lambda listening: server.run(sockets=[listening])


def _processes(settings: Settings, bind: Bind, workers: int) -> Callable[[socket.socket], None]:
    """Workers spawned by uvicorn's supervisor, each building its own app from ``settings``."""
    from uvicorn.supervisors import Multiprocess

    config = _config(partial(build_app, settings, bind), bind, workers)
    return lambda listening: Multiprocess(config, sockets=[listening]).run()


@dataclass
class Running:
    """A gateway serving on a background thread at ``bind``."""

    server: Any
    thread: threading.Thread
    listening: socket.socket

    @property
    def bind(self) -> Bind:
        return Bind(*self.listening.getsockname()[:2])

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.listening.close()


def start_beside(settings: Settings, bind: Bind) -> Running:
    """Start the gateway on a thread of this process and wait until it serves."""
    try:
        listening = listen(bind)
    except OSError as exc:
        raise BadInput(f"--gateway {bind.host}:{bind.port}: {exc.strerror or exc}") from exc
    bound = Bind(*listening.getsockname()[:2])
    try:
        server = _server(settings, bound)
    except BaseException:  # no store, a bad one: the address is free again
        listening.close()
        raise
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listening]}, name="swarmops-gateway", daemon=True
    )
    thread.start()
    while not server.started and thread.is_alive():
        thread.join(timeout=0.05)
    if not server.started:
        raise StoreError(f"the gateway on {bound.host}:{bound.port} did not start")
    return Running(server, thread, listening)
