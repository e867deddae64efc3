"""Running the gateway: in the foreground (``swarmops gateway``) or beside the deployments.

``swarmops serve`` runs it in the same process as the Prefect deployments with
``start_beside(settings)`` (a uvicorn server on a thread of its own) and
``handle.stop()`` on the way out.
"""

from __future__ import annotations

import socket
import sys
import threading
from dataclasses import dataclass

from swarmops.settings import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
POOL_SIZE = 16  # PostgreSQL: the writer, the readers of the thread pool and the listener


@dataclass(frozen=True)
class Bind:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT


def build_app(settings: Settings, bind: Bind) -> object:
    """The ASGI app over the configured store (created or migrated on first use)."""
    from swarmops.gateway.app import create_app
    from swarmops.gateway.core import Gateway
    from swarmops.service import build_services
    from swarmops.store import Store
    from swarmops.store.engine import create_engine
    from swarmops.store.migrate import ensure_schema

    store = Store(create_engine(settings.store_url, pool_size=POOL_SIZE, max_overflow=POOL_SIZE))
    ensure_schema(store)
    return create_app(Gateway(store, build_services(settings)), host=bind.host)


def _server(settings: Settings, bind: Bind) -> object:
    import uvicorn

    config = uvicorn.Config(
        build_app(settings, bind),
        host=bind.host,
        port=bind.port,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    return uvicorn.Server(config)


def listen(bind: Bind) -> socket.socket:
    """The listening socket. TCP_NODELAY is inherited by every accepted connection: without
    it a response's header and body writes wait out the peer's delayed ACK (about 40 ms)."""
    listening = socket.create_server((bind.host, bind.port))
    listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return listening


def serve(settings: Settings, bind: Bind) -> None:
    """Serve in the foreground until interrupted; port 0 picks a free port. The address
    is printed on stderr once the socket is bound."""
    listening = listen(bind)
    host, port = listening.getsockname()[:2]
    server = _server(settings, Bind(host, port))
    sys.stderr.write(f"swarmops gateway listening on http://{host}:{port}\n")
    sys.stderr.flush()
    server.run(sockets=[listening])  # type: ignore[attr-defined]


@dataclass
class Running:
    """A gateway serving on a background thread."""

    server: object
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True  # type: ignore[attr-defined]
        self.thread.join(timeout=30)


def start_beside(settings: Settings, bind: Bind | None = None) -> Running:
    """Start the gateway on a thread of this process (for ``swarmops serve``)."""
    server = _server(settings, bind or Bind())
    thread = threading.Thread(target=server.run, name="swarmops-gateway", daemon=True)  # type: ignore[attr-defined]
    thread.start()
    return Running(server, thread)
