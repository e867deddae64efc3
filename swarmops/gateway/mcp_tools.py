"""The MCP tools: the agent's door to the same service the REST routes call.

Every tool acts as the agent its bearer token names (over HTTP the request's
``Authorization`` header; over stdio the ``SWARMOPS_TOKEN`` the process was given),
so no tool takes an agent id. A tool's docstring is what the agent reads: it
says when to call it. Errors come back as tool errors whose text starts with the
HTTP status the REST route would answer (``403 Forbidden: …``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from swarmops.contracts import Contract
from swarmops.errors import SwarmopsError, first_line
from swarmops.fsm import Agent
from swarmops.gateway import actions
from swarmops.gateway.auth import Call
from swarmops.gateway.core import Gateway
from swarmops.gateway.problems import status_of
from swarmops.identifiers import Identifier
from swarmops.limits import RowId, Token
from swarmops.reservations import Reservation, ReserveResult
from swarmops.service import agents, messages, reservations, work
from swarmops.service.access import require_self
from swarmops.service.models import (
    ClaimAnswer,
    ComplianceAnswer,
    ComplianceBody,
    FetchBody,
    Inbox,
    NackBody,
    PathConflicts,
    PathsBody,
    ProgressAnswer,
    ProgressBody,
    Refused,
    ReleaseBody,
    Released,
    ReserveBody,
    SendAnswer,
    SendBody,
    Session,
    SessionStopped,
    Settled,
    TokenBody,
    TransitionAnswer,
    TransitionBody,
)
from swarmops.tokens import Bearer, Principal
from swarmops.tokens.verify import Unauthenticated

T = TypeVar("T")
INSTRUCTIONS = (
    "swarmops coordinates a swarm of agents. Call start_session first, heartbeat while you "
    "work, claim_contract for work, report_progress as you go, submit_for_review when done, "
    "and fetch_inbox for messages (ack each one you handled)."
)


@dataclass(frozen=True)
class Acting:
    """One tool call: the gateway and token (``call``), and whom that token names."""

    call: Call
    principal: Principal

    @property
    def agent_id(self) -> str:
        return self.principal.name


class AgentTools:
    """The tool set; ``bearer_of`` finds the token a call presents in its context."""

    def __init__(self, gw: Gateway, bearer_of: Callable[[Context], Bearer]) -> None:
        self.gw, self._bearer_of = gw, bearer_of

    async def _run(self, ctx: Context, call: Callable[[Acting], Awaitable[T]]) -> T:
        try:
            bearer = self._bearer_of(ctx)
            return await call(Acting(Call(self.gw, bearer), await self.gw.principal(bearer)))
        except Unauthenticated as exc:
            raise ToolError(f"401 Unauthenticated: {exc}") from exc
        except SwarmopsError as exc:
            raise ToolError(f"{status_of(exc)} {type(exc).__name__}: {first_line(exc)}") from exc

    async def start_session(self, ctx: Context) -> Session:
        """Call once when you start working (and after a restart): records a heartbeat and
        returns your state, the contracts you hold with their fencing tokens, and how many
        messages wait for you."""
        return await self._run(ctx, lambda c: self._write(agents.start_session, c, env=True))

    async def heartbeat(self, ctx: Context) -> Agent:
        """Call every minute or so while you work, so failover does not take your contracts."""
        return await self._run(ctx, lambda c: self._write(agents.beat, c, env=True))

    async def transition(self, ctx: Context, body: TransitionBody) -> TransitionAnswer:
        """Call when your own state changes (e.g. IDLE -> CONTRACT_ACTIVE after claiming,
        CONTRACT_ACTIVE -> BLOCKED when stuck). Pass a key to make a retry safe."""
        return await self._run(ctx, lambda c: self._write(agents.move, c, env=True, body=body))

    async def claim_contract(self, ctx: Context) -> ClaimAnswer:
        """Call when you are free for work: gives you the most urgent open contract that fits
        your skills and capacity, with the fencing token to send with your progress.
        contract is null when nothing fits."""
        return await self._run(ctx, lambda c: actions.claim(c.call, c.agent_id))

    async def release_contract(
        self, ctx: Context, contract_id: Identifier, token: Token
    ) -> Contract:
        """Call when you cannot finish a contract you hold: it goes back to OPEN for others."""
        body = TokenBody(token=token)
        return await self._run(ctx, lambda c: self._held(work.release, c, contract_id, body))

    async def report_progress(
        self, ctx: Context, contract_id: Identifier, body: ProgressBody
    ) -> ProgressAnswer:
        """Call after each meaningful step on a contract you hold: a percent, or a task worked
        on or finished (done=true). Send your fencing token; pass a key to make a retry safe."""
        return await self._run(ctx, lambda c: self._held(work.progress, c, contract_id, body))

    async def submit_for_review(
        self, ctx: Context, contract_id: Identifier, token: Token
    ) -> Contract:
        """Call when the work of a contract in progress is finished and ready for review."""
        body = TokenBody(token=token)
        return await self._run(ctx, lambda c: self._held(work.submit, c, contract_id, body))

    async def send_message(self, ctx: Context, body: SendBody) -> SendAnswer:
        """Call to tell another agent (to), every agent of a role (role) or everyone
        (broadcast) something: questions, hand-offs, reviews. Pass a key to make a retry safe."""
        return await self._run(ctx, lambda c: actions.send(c.call, c.agent_id, body))

    async def fetch_inbox(self, ctx: Context, body: FetchBody) -> Inbox:
        """Call to get your messages: each comes with a lease token; ack it when handled or
        nack it to give it back. Set wait (seconds) to wait for a message when none is there."""
        return await self._run(ctx, lambda c: actions.fetch(c.call, c.agent_id, body))

    async def ack_message(self, ctx: Context, message_id: RowId, token: Token) -> Settled:
        """Call after you handled a message from fetch_inbox, with its lease token."""
        body = TokenBody(token=token)
        return await self._run(ctx, lambda c: self._message(messages.ack, c, message_id, body))

    async def nack_message(
        self, ctx: Context, message_id: RowId, token: Token, reason: str | None = None
    ) -> Settled:
        """Call when you cannot handle a message now: it is retried later (or dead-lettered)."""
        body = NackBody(token=token, reason=reason)
        return await self._run(ctx, lambda c: self._message(messages.nack, c, message_id, body))

    async def reserve_paths(self, ctx: Context, body: ReserveBody) -> ReserveResult:
        """Call before you edit files other agents may touch: reserves paths or globs of a
        repository (exclusive, or shared for reading) for ttl_s seconds, all or none. Your
        heartbeats renew it. A refusal names who holds what until when: pick other work
        or message that agent."""
        step = partial(self._write, reservations.reserve, env=True, body=body)
        return await self._run(ctx, step)

    async def release_paths(
        self, ctx: Context, ids: list[int] | None = None, repository: str | None = None
    ) -> Released:
        """Call when you are done with files you reserved: releases the ids given, or all
        of your reservations (in repository, when given)."""
        body = ReleaseBody(ids=ids or [], repository=repository)
        return await self._run(ctx, partial(self._write, reservations.release, body=body))

    async def list_reservations(self, ctx: Context) -> list[Reservation]:
        """Call to see your live path reservations, with their fencing tokens and expiries
        (a session start lists them too)."""
        return await self._run(ctx, partial(self._read, reservations.held))

    async def check_paths(self, ctx: Context, repository: str, paths: list[str]) -> PathConflicts:
        """Call before editing: which of these paths another agent holds (and until when).
        Do not edit a path listed here."""
        body = PathsBody(repository=repository, paths=paths)
        return await self._run(ctx, partial(self._read, reservations.check, body=body))

    async def stop_session(self, ctx: Context) -> SessionStopped:
        """Call when you stop working: you count as idle, not dead, until you start again."""
        return await self._run(ctx, partial(self._write, agents.stop_session))

    async def check_compliance(self, ctx: Context, path: str, content: str) -> ComplianceAnswer:
        """Call before saving a file: returns the code-shape findings (file, function and class
        size, parameters) the new content would have, marked new or known against the
        baseline. Fix every new finding before you save. Writes nothing."""
        body = ComplianceBody(path=path, content=content)
        return await self._run(ctx, lambda c: actions.check(c.call, body))

    def _write(
        self, fn: Callable[..., T | Refused], acting: Acting, *, env: bool = False, **kwargs: Any
    ) -> Awaitable[T]:
        require_self(acting.principal, acting.agent_id)  # these tools act only as an agent
        if env:
            kwargs["env"] = self.gw.services
        return acting.call.write(partial(fn, agent_id=acting.agent_id, **kwargs))

    def _read(self, fn: Callable[..., T], acting: Acting, **kwargs: Any) -> Awaitable[T]:
        require_self(acting.principal, acting.agent_id)  # these tools act only as an agent
        return acting.call.read(partial(fn, agent_id=acting.agent_id, **kwargs))

    def _held(
        self, fn: Callable[..., T | Refused], acting: Acting, contract_id: str, body: Any
    ) -> Awaitable[T]:
        return self._write(fn, acting, contract_id=contract_id, body=body)

    def _message(
        self, fn: Callable[..., T | Refused], acting: Acting, message_id: int, body: Any
    ) -> Awaitable[T]:
        return self._write(fn, acting, message_id=message_id, body=body)

    def install(self, server: MCPServer) -> None:
        for name in TOOL_NAMES:
            server.add_tool(getattr(self, name), name=name)


TOOL_NAMES = (
    "start_session",
    "heartbeat",
    "transition",
    "claim_contract",
    "release_contract",
    "report_progress",
    "submit_for_review",
    "send_message",
    "fetch_inbox",
    "ack_message",
    "nack_message",
    "reserve_paths",
    "release_paths",
    "list_reservations",
    "check_paths",
    "stop_session",
    "check_compliance",
)


def build_mcp(gw: Gateway, bearer_of: Callable[[Context], Bearer]) -> MCPServer:
    """The MCP server with every tool, for Streamable HTTP (``/mcp``) or stdio."""
    server: MCPServer = MCPServer("swarmops", instructions=INSTRUCTIONS, log_level="WARNING")
    AgentTools(gw, bearer_of).install(server)
    return server
