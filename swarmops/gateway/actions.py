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

from swarmops.gateway.auth import Call
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


async def send(call: Call, agent_id: str, body: SendBody) -> SendAnswer:
    answer = await call.write(
        partial(messages.send, env=call.services, agent_id=agent_id, body=body)
    )
    for recipient in answer.recipients:
        call.gw.waiters.wake(recipient)
    return answer


async def fetch(call: Call, agent_id: str, body: FetchBody) -> Inbox:
    """Claim the agent's messages; when none, wait up to ``body.wait`` seconds for one."""
    claim = partial(messages.fetch, env=call.services, agent_id=agent_id, body=body)
    gw = call.gw
    deadline = time.monotonic() + body.wait
    while True:
        woken = gw.waiters.arm(agent_id)
        try:
            inbox = await call.write(claim)
            remaining = deadline - time.monotonic()
            if inbox.messages or remaining <= 0:
                return inbox
            await _sleep_until(woken, min(remaining, gw.recheck_s))
        finally:
            gw.waiters.disarm(agent_id, woken)


async def _sleep_until(event: asyncio.Event, timeout: float) -> None:
    with contextlib.suppress(TimeoutError):  # timed out: the bounded re-check, look again
        await asyncio.wait_for(event.wait(), timeout)


async def claim(call: Call, agent_id: str) -> ClaimAnswer:
    return await call.write(partial(work.claim, env=call.services, agent_id=agent_id))


async def check(call: Call, body: ComplianceBody) -> ComplianceAnswer:
    """Only the token is read from the store: the check uses the rules and baseline
    loaded at start-up."""
    from starlette.concurrency import run_in_threadpool

    principal = await call.principal()
    return await run_in_threadpool(compliance.check, call.services, principal, body)


__all__ = ["agents", "check", "claim", "fetch", "messages", "operator", "send", "work"]
