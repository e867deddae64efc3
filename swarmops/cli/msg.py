"""``swarmops msg``: the agents' side of the message bus.

Output is JSON by default (agents parse it); ``--format table`` is for people.
Only light modules load here: the bus and the store load inside each command,
and nothing in this path imports prefect, pandas or great_expectations.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_table
from swarmops.cli.params import with_options
from swarmops.errors import BadInput

msg_app = typer.Typer(help="Send, receive and settle messages between agents.")

FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
TokenOption = Annotated[int, typer.Option("--token", help="The lease token recv gave you.")]

SEND_OPTIONS: dict[str, tuple[Any, Any]] = {
    "sender": (str, typer.Option(..., "--from", help="The sending agent (or operator) id.")),
    "to": (str | None, typer.Option(None, "--to", help="One recipient agent.")),
    "role": (str | None, typer.Option(None, "--role", help="Every agent of this role.")),
    "broadcast": (bool, typer.Option(False, "--broadcast", help="Every agent but the sender.")),
    "body": (str, typer.Option(..., "--body", help="The message body, as JSON.")),
    "priority": (int, typer.Option(0, "--priority", help="0 (low) to 9 (urgent).")),
    "ttl_s": (float | None, typer.Option(None, "--ttl", help="Dead-letter after S seconds.")),
    "delay_s": (float, typer.Option(0.0, "--delay", help="Not visible before S seconds.")),
    "key": (str | None, typer.Option(None, "--key", help="Idempotency key.")),
    "reply_to": (int | None, typer.Option(None, "--reply-to", help="The message answered.")),
    "correlation_id": (str | None, typer.Option(None, "--correlation-id", help="Request id.")),
    "fmt": (Format, typer.Option(Format.json, "--format", help="Output format.")),
}


@msg_app.command("send")
@with_options(SEND_OPTIONS)
def send_command(ctx: typer.Context, **options: Any) -> None:
    """Send a message to an agent, a role (one copy each) or every agent."""
    from pydantic import ValidationError

    from swarmops.coordination import SendRequest, send

    fmt = options.pop("fmt")
    try:
        options["body"] = json.loads(options["body"])
        request = SendRequest(**options)
    except json.JSONDecodeError as exc:
        raise BadInput(f"--body is not JSON: {exc}") from exc
    except ValidationError as exc:
        raise BadInput(f"bad message: {exc.errors()[0]['msg']}") from exc
    context = cli_context(ctx)
    result = send(context.store(), request, context.settings.coordination)
    if fmt is Format.json:
        emit_json(result)
    else:
        rows = zip(result.ids, result.recipients, strict=True)
        emit_table(f"sent to {result.queue}", ["id", "recipient"], rows)


@msg_app.command("recv")
def recv_command(
    ctx: typer.Context,
    agent: Annotated[str, typer.Argument(help="The receiving agent.")],
    max_messages: Annotated[int, typer.Option("--max", help="Claim at most N messages.")] = 1,
    lease: Annotated[
        float | None, typer.Option("--lease", help="Lease seconds (default: settings).")
    ] = None,
    fmt: FormatOption = Format.json,
) -> None:
    """Claim up to N visible messages with a lease: highest priority, then oldest, first."""
    from swarmops.coordination import recv

    context = cli_context(ctx)
    lease_s = context.settings.coordination.lease_s if lease is None else lease
    claimed = recv(context.store(), agent, max_messages=max_messages, lease_s=lease_s)
    deliveries = [message.delivery() for message in claimed]
    if fmt is Format.json:
        emit_json(deliveries)
    else:
        columns = ["id", "sender", "priority", "attempts", "lease_token", "body"]
        emit_table(f"{agent}: claimed", columns, ([d[c] for c in columns] for d in deliveries))


@msg_app.command("ack")
def ack_command(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="The message id.")],
    token: TokenOption,
    fmt: FormatOption = Format.json,
) -> None:
    """Finish a message; refused (exit 1) when the token no longer holds its lease."""
    from swarmops.coordination import ack

    _emit_settled(ack(cli_context(ctx).store(), message_id, token), fmt)


@msg_app.command("nack")
def nack_command(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="The message id.")],
    token: TokenOption,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it was given back.")] = None,
    fmt: FormatOption = Format.json,
) -> None:
    """Give a message back: retried after backoff, dead-lettered after the last attempt."""
    from swarmops.coordination import nack

    _emit_settled(nack(cli_context(ctx).store(), message_id, token, reason=reason), fmt)


@msg_app.command("dead")
def dead_command(
    ctx: typer.Context,
    replay: Annotated[
        int | None, typer.Option("--replay", help="Requeue this dead letter.")
    ] = None,
    agent: Annotated[str | None, typer.Option("--agent", help="Only this recipient.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most N dead letters.")] = 100,
    fmt: FormatOption = Format.json,
) -> None:
    """List the dead letters, or put one back in its queue with --replay ID."""
    from swarmops.coordination import dead_letters
    from swarmops.coordination import replay as replay_message

    store = cli_context(ctx).store()
    if replay is not None:
        _emit_settled(replay_message(store, replay), fmt)
        return
    dead = dead_letters(store, recipient=agent, limit=limit)
    if fmt is Format.json:
        emit_json(dead)
    else:
        columns = ["id", "sender", "recipient", "attempts", "dead_reason"]
        emit_table("dead letters", columns, ([getattr(m, c) for c in columns] for m in dead))


def _emit_settled(message: Any, fmt: Format) -> None:
    fields = ["id", "status", "attempts", "lease_token", "visible_at", "dead_reason"]
    if fmt is Format.json:
        emit_json(message.model_dump(mode="json", include=set(fields)))
    else:
        emit_table(f"message {message.id}", fields, [[getattr(message, f) for f in fields]])
