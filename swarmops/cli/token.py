"""``swarmops token``: issue, list and revoke the gateway's bearer tokens (operator, direct).

``issue`` prints the token once; the store keeps only its hash, so a lost token is
revoked and issued again, never shown again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_line, emit_table
from swarmops.errors import BadInput
from swarmops.identifiers import check_identifier
from swarmops.limits import MAX_SECONDS

token_app = typer.Typer(help="Bearer tokens of the agent gateway.", no_args_is_help=True)
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
COLUMNS = ("id", "agent_id", "role", "created_at", "expires_at", "revoked_at")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_expiry(text: str | None, now: datetime) -> datetime | None:
    """``--expires``: a duration (``90s``, ``30m``, ``12h``, ``30d``) or an ISO 8601 time."""
    if text is None:
        return None
    unit = UNITS.get(text[-1:])
    if unit is not None and text[:-1].isascii() and text[:-1].isdigit():
        seconds = int(text[:-1]) * unit
        if seconds > MAX_SECONDS:
            raise BadInput(f"--expires: {text} is longer than {MAX_SECONDS:.0f} seconds")
        return now + timedelta(seconds=seconds)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise BadInput(f"--expires: not a duration (30m, 12h, 30d) or a time: {text!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@token_app.command("issue")
def issue_command(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(help="The agent (or operator) the token acts as.", parser=check_identifier),
    ],
    role: Annotated[str, typer.Option("--role", help="agent or operator.")] = "agent",
    expires: Annotated[
        str | None, typer.Option("--expires", help="Lifetime (30d) or expiry time (ISO).")
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Issue a token and print it once (the store keeps only its hash)."""
    from swarmops.store import in_unit
    from swarmops.tokens import issue_token

    store = cli_context(ctx).store()
    issued = in_unit(store, issue_token, name, role, expires_at=parse_expiry(expires, store.now()))
    if fmt is Format.json:
        emit_json({"token": issued.token, **issued.info.model_dump(mode="json")})
    else:
        emit_line(issued.token)


@token_app.command("list")
def list_command(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Option("--agent", help="Only this agent's.", parser=check_identifier)
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Every token, without secrets."""
    from swarmops.tokens import list_tokens

    found = list_tokens(cli_context(ctx).store(), name=name)
    if fmt is Format.json:
        emit_json([info.model_dump(mode="json") for info in found])
    else:
        emit_table("tokens", list(COLUMNS), ([getattr(t, c) for c in COLUMNS] for t in found))


@token_app.command("revoke")
def revoke_command(
    ctx: typer.Context,
    token_id: Annotated[str, typer.Argument(metavar="ID", help="The token id (see list).")],
    fmt: FormatOption = Format.table,
) -> None:
    """Revoke a token: every later request with it is refused (401)."""
    from swarmops.store import in_unit
    from swarmops.tokens import revoke_token

    info = in_unit(cli_context(ctx).store(), revoke_token, token_id)
    if fmt is Format.json:
        emit_json(info.model_dump(mode="json"))
    else:
        emit_line(f"revoked {info.id} ({info.agent_id}, {info.role})")
