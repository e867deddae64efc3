"""The command groups and top-level commands, in the order ``swarmops --help`` lists them.

Each capability adds its Typer group to GROUPS (or a plain command function to
COMMANDS) here; a module listed here imports only what its commands need at
import time, so no heavy library loads for agent-facing commands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from swarmops.cli.agent import agent_app
from swarmops.cli.backup import backup_app
from swarmops.cli.compliance import compliance_app
from swarmops.cli.contract import contract_app
from swarmops.cli.coordination import assign, failover
from swarmops.cli.demo import demo
from swarmops.cli.fsm import fsm_app
from swarmops.cli.gateway import gateway, mcp
from swarmops.cli.health import health_app
from swarmops.cli.hook import hook_app
from swarmops.cli.metrics import metrics
from swarmops.cli.msg import msg_app
from swarmops.cli.outbox import outbox_app
from swarmops.cli.pipeline import pipeline_app
from swarmops.cli.reserve import release, reservations, reserve
from swarmops.cli.rollback import rollback
from swarmops.cli.serving import serve
from swarmops.cli.token import token_app
from swarmops.cli.validate import validate_app

GROUPS: list[tuple[str, typer.Typer]] = [
    ("agent", agent_app),
    ("fsm", fsm_app),
    ("contract", contract_app),
    ("msg", msg_app),
    ("health", health_app),
    ("outbox", outbox_app),
    ("compliance", compliance_app),
    ("validate", validate_app),
    ("pipeline", pipeline_app),
    ("token", token_app),
    ("hook", hook_app),
    ("backup", backup_app),
]
COMMANDS: list[Callable[..., Any]] = [metrics, rollback, assign, failover, serve, demo]
COMMANDS += [gateway, mcp]  # the agent gateway (swarmops.gateway)
COMMANDS += [reserve, release, reservations]  # path reservations (swarmops.reservations)
