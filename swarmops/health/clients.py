"""The real probe I/O: httpx for HTTP, asyncio streams for TCP, shutil for disks.

Transport failures come out as OSError (ConnectionError) so probes handle one
family of errors whatever the client.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from types import TracebackType

import httpx

from swarmops.health.ports import HttpReply


class _VerifiedOnFirstUse(httpx.AsyncBaseTransport):
    """The https transport (certificates verified), built on the first https request:
    loading the TLS trust store costs ~60 ms, which plain-http rounds never need."""

    def __init__(self) -> None:
        self._transport: httpx.AsyncHTTPTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._transport is None:
            self._transport = httpx.AsyncHTTPTransport()
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()


class HttpxClient:
    """One pooled httpx.AsyncClient for a round; use as ``async with``.

    http:// goes through a transport without a trust store (no TLS happens there,
    and redirects are not followed); everything else through the verified one.
    """

    def __init__(self) -> None:
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            transport=_VerifiedOnFirstUse(),
            mounts={"http://": httpx.AsyncHTTPTransport(verify=False)},
        )

    async def __aenter__(self) -> HttpxClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._client.aclose()

    async def request(self, method: str, url: str, timeout_s: float) -> HttpReply:
        try:
            response = await self._client.request(method, url, timeout=timeout_s)
        except httpx.TimeoutException as exc:
            raise TimeoutError(f"{type(exc).__name__} after {timeout_s:g} s") from exc
        except httpx.HTTPError as exc:
            raise ConnectionError(f"{type(exc).__name__}: {exc}") from exc
        return HttpReply(status=response.status_code, text=response.text)


class AsyncioTcp:
    """Connects with asyncio streams and closes at once."""

    async def connect(self, host: str, port: int, timeout_s: float) -> None:
        try:
            opening = asyncio.open_connection(host, port)
            _, writer = await asyncio.wait_for(opening, timeout_s)
        except ConnectionRefusedError as exc:
            raise ConnectionRefusedError(f"connection refused: {host}:{port}") from exc
        writer.close()
        await writer.wait_closed()


class ShutilDisk:
    """Reads free and total bytes with shutil.disk_usage."""

    def usage(self, path: Path) -> tuple[int, int]:
        usage = shutil.disk_usage(path)
        return usage.free, usage.total
