"""The routed commands' arguments, as in direct mode, each bound to its gateway call."""

from __future__ import annotations

import argparse
import math
from typing import Any

from swarmops.cli.remote import parser_root
from swarmops.cli.remote_commands import (
    claim,
    heartbeat,
    progress,
    recv,
    send,
    settle,
    show_agent,
    show_contract,
    transition,
)


def finite(text: str) -> float:
    """A float flag: NaN and the infinities are no JSON number, so they never leave here
    (the gateway checks each flag's range)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def build_parser() -> argparse.ArgumentParser:
    root, groups = parser_root()
    _agent_commands(groups.add_parser("agent").add_subparsers(dest="command", required=True))
    _msg_commands(groups.add_parser("msg").add_subparsers(dest="command", required=True))
    _contract_commands(groups.add_parser("contract").add_subparsers(dest="command", required=True))
    return root


def _agent_commands(commands: Any) -> None:
    for name, handler in (("heartbeat", heartbeat), ("show", show_agent)):
        parser = commands.add_parser(name)
        parser.add_argument("agent_id")
        _json_format(parser)
        parser.set_defaults(handler=handler)
    parser = commands.add_parser("transition")
    parser.add_argument("agent_id")
    parser.add_argument("state")
    parser.add_argument("--reason")
    parser.add_argument("--expect-version", type=int, dest="expect_version")
    parser.add_argument("--key")
    parser.add_argument("--actor", help="Ignored: the gateway acts as the token's owner.")
    _json_format(parser)
    parser.set_defaults(handler=transition)


def _msg_commands(commands: Any) -> None:
    parser = commands.add_parser("send")
    parser.add_argument("--from", dest="sender", required=True)
    parser.add_argument("--to")
    parser.add_argument("--role")
    parser.add_argument("--broadcast", action="store_true")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--body")
    source.add_argument("--body-file", dest="body_file", metavar="PATH|-")
    parser.add_argument("--priority", type=int, default=0)
    parser.add_argument("--ttl", type=finite, dest="ttl_s")
    parser.add_argument("--delay", type=finite, dest="delay_s", default=0.0)
    parser.add_argument("--key")
    parser.add_argument("--reply-to", type=int, dest="reply_to")
    parser.add_argument("--correlation-id", dest="correlation_id")
    _json_format(parser)
    parser.set_defaults(handler=send)
    parser = commands.add_parser("recv")
    parser.add_argument("agent_id")
    parser.add_argument("--max", type=int, default=1)
    parser.add_argument("--lease", type=finite)
    parser.add_argument("--wait", type=finite, default=0.0, help="Wait up to S seconds.")
    _json_format(parser)
    parser.set_defaults(handler=recv)
    _settle_commands(commands)


def _settle_commands(commands: Any) -> None:
    for verb in ("ack", "nack"):
        parser = commands.add_parser(verb)
        parser.add_argument("message_id", type=int, metavar="ID")
        parser.add_argument("--token", type=int, required=True)
        parser.add_argument("--agent", help="The recipient (default: the token's agent).")
        if verb == "nack":
            parser.add_argument("--reason")
        _json_format(parser)
        parser.set_defaults(handler=settle, verb=verb)


def _contract_commands(commands: Any) -> None:
    parser = commands.add_parser("progress")
    parser.add_argument("contract_id", metavar="ID")
    parser.add_argument("--agent", required=True)
    parser.add_argument("--percent", type=finite)
    parser.add_argument("--task", dest="task_id")
    parser.add_argument("--done", action="store_true")
    parser.add_argument("--note")
    parser.add_argument("--key")
    parser.add_argument("--allow-regress", action="store_true", dest="allow_regress")
    parser.add_argument("--token", type=int)
    _json_format(parser)
    parser.set_defaults(handler=progress)
    parser = commands.add_parser("show")
    parser.add_argument("contract_id", metavar="ID")
    _json_format(parser)
    parser.set_defaults(handler=show_contract)
    parser = commands.add_parser("claim")
    parser.add_argument("--agent", help="The claiming agent (default: the token's agent).")
    _json_format(parser)
    parser.set_defaults(handler=claim)


def _json_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["json"], default="json", help="Output: JSON.")
