"""The thin client: with ``SWARMOPS_API_URL`` and ``SWARMOPS_TOKEN`` set, the agent-facing
commands go to the gateway over HTTP instead of opening the store.

Routed here: ``agent heartbeat|transition|show``, ``msg send|recv|ack|nack`` and
``contract progress|show|claim``; every other command stays direct. This path
imports only argparse, httpx and ``swarmops.errors`` (no SQLAlchemy, pandas, Prefect
or Typer), so an agent's call costs little more than the HTTP request. Output is
the gateway's JSON document; errors are one line on stderr with the CLI's exit codes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from swarmops.errors import SwarmopsError, error_line

URL_ENV, TOKEN_ENV = "SWARMOPS_API_URL", "SWARMOPS_TOKEN"
REMOTE = {
    "agent": ("heartbeat", "transition", "show"),
    "msg": ("send", "recv", "ack", "nack"),
    "contract": ("progress", "show", "claim"),
}


def wants_remote(args: Sequence[str], environ: dict[str, str] | None = None) -> bool:
    """True when the gateway is configured and ``args`` name a routed command."""
    env = os.environ if environ is None else environ
    if not (env.get(URL_ENV) and env.get(TOKEN_ENV)) or len(args) < 2:
        return False
    return args[1] in REMOTE.get(args[0], ())


def run_remote(args: Sequence[str]) -> int:
    """Parse and run one routed command; the exit code."""
    from swarmops.cli.remote_parser import build_parser
    from swarmops.client import GatewayClient

    parsed = build_parser().parse_args(list(args))
    client = GatewayClient(os.environ[URL_ENV], os.environ[TOKEN_ENV])
    try:
        document = parsed.handler(client, parsed)
    except SwarmopsError as exc:
        sys.stderr.write(error_line(exc.message))
        return exc.exit_code
    finally:
        client.close()
    sys.stdout.write(json.dumps(document, indent=2, sort_keys=True, allow_nan=False) + "\n")
    return 0


class OneLineParser(argparse.ArgumentParser):
    """A usage error is one line and exit 2, as in direct mode (not argparse's usage block)."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("swarmops").strip()
        where = f"{command}: " if command else ""
        sys.stderr.write(error_line(f"{where}{message} (see '{self.prog} --help')"))
        raise SystemExit(2)


def parser_root() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    root = OneLineParser(prog="swarmops", description="swarmops (thin client)")
    return root, root.add_subparsers(dest="group", required=True)
