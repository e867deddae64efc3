"""``swarmops msg``: the agents' side of the message bus.

Output is JSON by default (agents parse it); ``--format table`` is for people.
Only light modules load here: the bus and the store load inside each command,
and nothing in this path imports prefect, pandas or great_expectations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.output import Format, emit_json, emit_table
from swarmops.errors import BadInput
from swarmops.identifiers import check_identifier, check_role
from swarmops.limits import MAX_BATCH, MAX_BIGINT, MAX_INT, MAX_SECONDS, MIN_SECONDS

if TYPE_CHECKING:
    from swarmops.coordination import SendRequest

msg_app = typer.Typer(help="Send, receive and settle messages between agents.")

FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
TokenOption = Annotated[
    int, typer.Option("--token", min=0, max=MAX_INT, help="The lease token recv gave you.")
]

SenderOption = Annotated[
    str, typer.Option("--from", help="The sending agent (or operator) id.", parser=check_identifier)
]
BodyOption = Annotated[
    str | None, typer.Option("--body", help="The message body, as JSON (or use --body-file).")
]
BodyFileOption = Annotated[
    str | None,
    typer.Option("--body-file", metavar="PATH|-", help="Read the JSON body from a file or stdin."),
]
ToOption = Annotated[
    str | None, typer.Option("--to", help="One recipient agent.", parser=check_identifier)
]
RoleOption = Annotated[
    str | None, typer.Option("--role", help="Every agent of this role.", parser=check_role)
]
BroadcastOption = Annotated[bool, typer.Option("--broadcast", help="Every agent but the sender.")]
PriorityOption = Annotated[
    int, typer.Option("--priority", min=0, max=9, help="0 (low) to 9 (urgent).")
]
TtlOption = Annotated[
    float | None,
    typer.Option("--ttl", min=MIN_SECONDS, max=MAX_SECONDS, help="Dead-letter after S seconds."),
]
DelayOption = Annotated[
    float, typer.Option("--delay", min=0, max=MAX_SECONDS, help="Not visible before S seconds.")
]
KeyOption = Annotated[
    str | None,
    typer.Option(
        "--key",
        help="Idempotency key, the sender's own (scoped by --from).",
        parser=check_identifier,
    ),
]
ReplyToOption = Annotated[
    int | None, typer.Option("--reply-to", min=1, max=MAX_BIGINT, help="The message answered.")
]
CorrelationOption = Annotated[
    str | None, typer.Option("--correlation-id", help="Request id.", parser=check_identifier)
]


@msg_app.command("send")
def send_command(  # swarmops: allow[function-params] Typer: one parameter per flag of msg send
    ctx: typer.Context,
    sender: SenderOption,
    body: BodyOption = None,
    body_file: BodyFileOption = None,
    to: ToOption = None,
    role: RoleOption = None,
    broadcast: BroadcastOption = False,
    priority: PriorityOption = 0,
    ttl_s: TtlOption = None,
    delay_s: DelayOption = 0.0,
    key: KeyOption = None,
    reply_to: ReplyToOption = None,
    correlation_id: CorrelationOption = None,
    fmt: FormatOption = Format.json,
) -> None:
    """Send a message to an agent, a role (one copy each) or every agent."""
    from swarmops.coordination import send
    from swarmops.store import in_unit

    context = cli_context(ctx)
    limit = context.settings.coordination.max_body_bytes
    fields = {name: v for name, v in ctx.params.items() if name not in ("fmt", "body_file")}
    request = _request({**fields, "body": _body(body, body_file, limit)})
    result = in_unit(context.store(), send, request, context.settings.coordination)
    if fmt is Format.json:
        emit_json(result)
    else:
        rows = zip(result.ids, result.recipients, strict=True)
        emit_table(f"sent to {result.queue}", ["id", "recipient"], rows)


def _body(text: str | None, path: str | None, limit: int) -> Any:
    """The body from exactly one of --body and --body-file, as strict JSON."""
    from swarmops.strict_json import parse_body, read_body

    if (text is None) == (path is None):
        raise BadInput("give the body with exactly one of --body and --body-file")
    return parse_body(text) if text is not None else read_body(str(path), limit)


def _request(fields: dict[str, Any]) -> SendRequest:
    """The send the flags ask for (their values by parameter name); bad input exits 2."""
    from pydantic import ValidationError

    from swarmops.coordination import SendRequest

    try:
        return SendRequest(**fields)
    except ValidationError as exc:
        raise BadInput(f"bad message: {exc.errors()[0]['msg']}") from exc


@msg_app.command("recv")
def recv_command(
    ctx: typer.Context,
    agent: Annotated[str, typer.Argument(help="The receiving agent.", parser=check_identifier)],
    max_messages: Annotated[
        int, typer.Option("--max", min=1, max=MAX_BATCH, help="Claim at most N messages.")
    ] = 1,
    lease: Annotated[
        float | None,
        typer.Option(
            "--lease", min=MIN_SECONDS, max=MAX_SECONDS, help="Lease seconds (default: settings)."
        ),
    ] = None,
    fmt: FormatOption = Format.json,
) -> None:
    """Claim up to N visible messages with a lease: highest priority, then oldest, first."""
    from swarmops.coordination import recv
    from swarmops.store import in_unit

    context = cli_context(ctx)
    lease_s = context.settings.coordination.lease_s if lease is None else lease
    claimed = in_unit(context.store(), recv, agent, max_messages=max_messages, lease_s=lease_s)
    deliveries = [message.delivery() for message in claimed]
    if fmt is Format.json:
        emit_json(deliveries)
    else:
        columns = ["id", "sender", "priority", "attempts", "lease_token", "body"]
        emit_table(f"{agent}: claimed", columns, ([d[c] for c in columns] for d in deliveries))


@msg_app.command("ack")
def ack_command(
    ctx: typer.Context,
    message_id: Annotated[
        int, typer.Argument(metavar="ID", min=1, max=MAX_BIGINT, help="The message id.")
    ],
    token: TokenOption,
    fmt: FormatOption = Format.json,
) -> None:
    """Finish a message; refused (exit 1) when the token no longer holds its lease."""
    from swarmops.coordination import ack, keep_refusal

    _emit_settled(keep_refusal(cli_context(ctx).store(), ack, message_id, token), fmt)


@msg_app.command("nack")
def nack_command(
    ctx: typer.Context,
    message_id: Annotated[
        int, typer.Argument(metavar="ID", min=1, max=MAX_BIGINT, help="The message id.")
    ],
    token: TokenOption,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it was given back.")] = None,
    fmt: FormatOption = Format.json,
) -> None:
    """Give a message back: retried after backoff, dead-lettered after the last attempt."""
    from swarmops.coordination import keep_refusal, nack

    store = cli_context(ctx).store()
    _emit_settled(keep_refusal(store, nack, message_id, token, reason=reason), fmt)


@msg_app.command("dead")
def dead_command(
    ctx: typer.Context,
    replay: Annotated[
        int | None,
        typer.Option("--replay", min=1, max=MAX_BIGINT, help="Requeue this dead letter."),
    ] = None,
    agent: Annotated[
        str | None, typer.Option("--agent", help="Only this recipient.", parser=check_identifier)
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_BATCH, help="At most N dead letters.")
    ] = 100,
    fmt: FormatOption = Format.json,
) -> None:
    """List the dead letters, or put one back in its queue with --replay ID."""
    from swarmops.coordination import dead_letters
    from swarmops.coordination import replay as replay_message
    from swarmops.store import in_unit

    store = cli_context(ctx).store()
    if replay is not None:
        _emit_settled(in_unit(store, replay_message, replay), fmt)
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
