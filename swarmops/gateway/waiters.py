"""Long-poll waiters: fetches parked until a message for their agent may have arrived."""

from __future__ import annotations

import asyncio
from collections import defaultdict


class Waiters:
    """Per agent, the events of the fetches waiting for it; woken after a send commits
    (in this process) or by a NOTIFY from any replica (the listener thread)."""

    def __init__(self) -> None:
        self._waiting: defaultdict[str, set[asyncio.Event]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def arm(self, agent_id: str) -> asyncio.Event:
        """Register before looking, so a send that commits meanwhile is not missed."""
        event = asyncio.Event()
        self._waiting[agent_id].add(event)
        return event

    def disarm(self, agent_id: str, event: asyncio.Event) -> None:
        events = self._waiting.get(agent_id)
        if events is not None:
            events.discard(event)
            if not events:
                del self._waiting[agent_id]

    def wake(self, agent_id: str) -> None:
        for event in self._waiting.get(agent_id, ()):
            event.set()

    def wake_threadsafe(self, agent_id: str) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.wake, agent_id)
