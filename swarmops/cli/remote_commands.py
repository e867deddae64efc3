"""The call each routed command makes on the gateway (its arguments: ``remote_parser``)."""

from __future__ import annotations

import argparse
from typing import Any

from swarmops.client import GatewayClient
from swarmops.strict_json import parse_body, read_body

Args = argparse.Namespace


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


# The gateway applies its own configured limit; the client reads at most four times this.
LIMIT = 262144


def send(client: GatewayClient, args: Args) -> Any:
    body = parse_body(args.body) if args.body is not None else read_body(args.body_file, LIMIT)
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
