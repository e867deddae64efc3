"""``swarmops reserve``, ``release`` and ``reservations``: path reservations from the shell.

JSON by default (agents parse it). ``reserve`` exits 1 when another agent holds an
overlapping reservation, printing the answer (with the conflicts) and one line per
conflict naming the holder and its expiry; expiries it found on the way are
committed all the same (their holders were told).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_table
from swarmops.errors import BadInput, ReservationRefused
from swarmops.identifiers import check_identifier
from swarmops.limits import MAX_BIGINT, MIN_SECONDS
from swarmops.reservations.models import MAX_TTL_S

if TYPE_CHECKING:
    from swarmops.reservations.models import ReserveResult

AGENT_ENV = "SWARMOPS_AGENT"
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
AgentOption = Annotated[
    str | None,
    typer.Option(
        "--agent", help=f"The agent acting (default ${AGENT_ENV}).", parser=check_identifier
    ),
]
RepoOption = Annotated[
    str | None,
    typer.Option("--repo", help="Repository name (default: the git repository of the cwd)."),
]
COLUMNS = ["id", "repository", "pattern", "mode", "agent", "contract", "token", "expires"]


def reserve(  # Typer: one parameter per flag
    ctx: typer.Context,
    patterns: Annotated[list[str], typer.Argument(help="Paths or globs, relative to the root.")],
    agent: AgentOption = None,
    repo: RepoOption = None,
    shared: Annotated[bool, typer.Option("--shared", help="A reader's lease.")] = False,
    ttl_s: Annotated[
        float, typer.Option("--ttl", min=MIN_SECONDS, max=MAX_TTL_S, help="Lease seconds.")
    ] = 1800.0,
    contract: Annotated[
        str | None, typer.Option("--contract", help="Bind to a contract.", parser=check_identifier)
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the others.")] = None,
    fmt: FormatOption = Format.json,
) -> None:
    """Reserve paths or globs of a repository for a lease (exclusive unless --shared)."""
    from pydantic import ValidationError

    from swarmops.reservations import ReserveRequest
    from swarmops.reservations import reserve as grant
    from swarmops.store import in_unit

    context = cli_context(ctx)
    fields = {"agent_id": _agent(agent), "repository": _repository(repo), "patterns": patterns}
    fields |= {"exclusive": not shared, "ttl_s": ttl_s, "contract_id": contract, "reason": reason}
    try:
        request = ReserveRequest(**fields)
    except ValidationError as exc:
        raise BadInput(f"reserve: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}") from exc
    _answer(in_unit(context.store(), grant, request, context.settings.coordination), fmt)


def _answer(result: ReserveResult, fmt: Format) -> None:
    """Print the reservation; a refusal names every conflict and exits 1."""
    if fmt is Format.json:
        emit_json(result)
    else:
        _table("granted" if result.granted else "refused", result.reservations)
    if not result.granted:
        for conflict in result.conflicts[1:]:
            sys.stderr.write(f"swarmops: conflict: {conflict.describe()}\n")
        raise ReservationRefused(f"reservation refused: {result.conflicts[0].describe()}")


def release(
    ctx: typer.Context,
    ids: Annotated[
        list[int] | None,
        typer.Argument(min=1, max=MAX_BIGINT, help="Reservation ids (default: all)."),
    ] = None,
    agent: AgentOption = None,
    repo: Annotated[str | None, typer.Option("--repo", help="Only this repository.")] = None,
    fmt: FormatOption = Format.json,
) -> None:
    """Release the agent's reservations: the ids given, or all of them (in --repo)."""
    from swarmops.reservations import release as end
    from swarmops.store import in_unit

    context = cli_context(ctx)
    ended = in_unit(context.store(), end, _agent(agent), ids=ids or (), repository=repo)
    if fmt is Format.json:
        emit_json(ended.model_dump(mode="json") | {"count": ended.count})
    else:
        _table(f"released {ended.count}", ended.reservations)


def reservations(
    ctx: typer.Context,
    repo: Annotated[str | None, typer.Option("--repo", help="Only this repository.")] = None,
    agent: Annotated[
        str | None, typer.Option("--agent", help="Only this agent's.", parser=check_identifier)
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List the live reservations (not ended, not past their expiry)."""
    from swarmops.reservations import list_reservations

    found = list_reservations(cli_context(ctx).store(), repository=repo, agent_id=agent)
    if fmt is Format.json:
        emit_json(found)
    else:
        _table("reservations", found)


def _agent(given: str | None) -> str:
    agent = given or os.environ.get(AGENT_ENV)
    if not agent:
        raise BadInput(f"say which agent acts: --agent or ${AGENT_ENV}")
    return agent


def _repository(given: str | None) -> str:
    if given:
        return given
    from swarmops.hooks.repo import find_repository

    found = find_repository(os.getcwd())
    if found is None:
        raise BadInput("not inside a git repository: say which with --repo")
    return found.name


def _table(title: str, rows: list) -> None:  # type: ignore[type-arg]
    cells = [
        [r.id, r.repository, r.pattern, r.mode, r.agent_id, r.contract_id, r.token, r.expires_at]
        for r in rows
    ]
    emit_table(title, COLUMNS, cells)
