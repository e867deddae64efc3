"""What both doors do, once: each action runs one service function in the right unit.

Writes go to the group-commit writer, reads to a read-only unit. Two actions add
the gateway's own mechanics and nothing of the domain: ``send`` wakes this
process's waiting fetches after the commit, and ``fetch`` waits (long poll) for a
message when the inbox is empty, re-checking only when woken or after a bounded
interval, never in a busy loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from functools import partial

from swarmops.gateway.core import Gateway
from swarmops.service import agents, compliance, messages, operator, work
from swarmops.service.models import (
    ClaimAnswer,
    ComplianceAnswer,
    ComplianceBody,
    FetchBody,
    Inbox,
    SendAnswer,
    SendBody,
)
from swarmops.tokens import Bearer


async def send(gw: Gateway, caller: Bearer, agent_id: str, body: SendBody) -> SendAnswer:
    step = partial(messages.send, env=gw.services, agent_id=agent_id, body=body)
    answer = await gw.write(caller, step)
    for recipient in answer.recipients:
        gw.waiters.wake(recipient)
    return answer


async def fetch(gw: Gateway, caller: Bearer, agent_id: str, body: FetchBody) -> Inbox:
    """Claim the agent's messages; when none, wait up to ``body.wait`` seconds for one."""
    claim = partial(messages.fetch, env=gw.services, agent_id=agent_id, body=body)
    deadline = time.monotonic() + body.wait
    while True:
        woken = gw.waiters.arm(agent_id)
        try:
            inbox = await gw.write(caller, claim)
            remaining = deadline - time.monotonic()
            if inbox.messages or remaining <= 0:
                return inbox
            await _sleep_until(woken, min(remaining, gw.recheck_s))
        finally:
            gw.waiters.disarm(agent_id, woken)


async def _sleep_until(event: asyncio.Event, timeout: float) -> None:
    with contextlib.suppress(TimeoutError):  # timed out: the bounded re-check, look again
        await asyncio.wait_for(event.wait(), timeout)


async def claim(gw: Gateway, caller: Bearer, agent_id: str) -> ClaimAnswer:
    return await gw.write(caller, partial(work.claim, env=gw.services, agent_id=agent_id))


async def check(gw: Gateway, caller: Bearer, body: ComplianceBody) -> ComplianceAnswer:
    """Only the token is read from the store: the check uses the rules and baseline
    loaded at start-up."""
    from starlette.concurrency import run_in_threadpool

    principal = await gw.principal(caller)
    return await run_in_threadpool(compliance.check, gw.services, principal, body)


__all__ = ["agents", "check", "claim", "fetch", "messages", "operator", "send", "work"]
