"""The routed commands' arguments (as in direct mode) and the call each makes."""

from __future__ import annotations

import argparse
import json
from typing import Any

from swarmops.cli.remote import parser_root
from swarmops.client import GatewayClient
from swarmops.errors import BadInput

Args = argparse.Namespace


def _json_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["json"], default="json", help="Output: JSON.")


def _agent_of(client: GatewayClient, given: str | None) -> str:
    return given or client.whoami()


def heartbeat(client: GatewayClient, args: Args) -> Any:
    return client.agent(args.agent_id, "heartbeat")


def transition(client: GatewayClient, args: Args) -> Any:
    body = {
        "to_state": args.state,
        "reason": args.reason,
        "expect_version": args.expect_version,
        "key": args.key,
    }
    return client.agent(args.agent_id, "transition", body)


def show_agent(client: GatewayClient, args: Args) -> Any:
    return client.agent(args.agent_id)


def send(client: GatewayClient, args: Args) -> Any:
    try:
        body = json.loads(args.body)
    except json.JSONDecodeError as exc:
        raise BadInput(f"--body is not JSON: {exc}") from exc
    fields = (
        "to",
        "role",
        "broadcast",
        "priority",
        "ttl_s",
        "delay_s",
        "key",
        "reply_to",
        "correlation_id",
    )
    request = {name: getattr(args, name) for name in fields}
    return client.agent(args.sender, "messages", {**request, "body": body})


def recv(client: GatewayClient, args: Args) -> Any:
    body = {"max_messages": args.max, "lease_s": args.lease, "wait": args.wait}
    return client.agent(args.agent_id, "inbox", body)["messages"]


def settle(client: GatewayClient, args: Args) -> Any:
    body: dict[str, Any] = {"token": args.token}
    if args.verb == "nack":
        body["reason"] = args.reason
    return client.settle(_agent_of(client, args.agent), args.message_id, args.verb, body)


def progress(client: GatewayClient, args: Args) -> Any:
    fields = ("percent", "task_id", "done", "note", "key", "allow_regress", "token")
    body = {name: getattr(args, name) for name in fields}
    return client.progress(args.agent, args.contract_id, body)


def show_contract(client: GatewayClient, args: Args) -> Any:
    return client.contract(args.contract_id)


def claim(client: GatewayClient, args: Args) -> Any:
    return client.agent(_agent_of(client, args.agent), "contracts/claim")


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
    parser.add_argument("--body", required=True)
    parser.add_argument("--priority", type=int, default=0)
    parser.add_argument("--ttl", type=float, dest="ttl_s")
    parser.add_argument("--delay", type=float, dest="delay_s", default=0.0)
    parser.add_argument("--key")
    parser.add_argument("--reply-to", type=int, dest="reply_to")
    parser.add_argument("--correlation-id", dest="correlation_id")
    _json_format(parser)
    parser.set_defaults(handler=send)
    parser = commands.add_parser("recv")
    parser.add_argument("agent_id")
    parser.add_argument("--max", type=int, default=1)
    parser.add_argument("--lease", type=float)
    parser.add_argument("--wait", type=float, default=0.0, help="Wait up to S seconds.")
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
    parser.add_argument("--percent", type=float)
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
