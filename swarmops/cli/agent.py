"""``swarmops agent``: register agents and move them through their lifecycle.

Agents call these often, so only light modules load here: the fsm package and
the store load inside each command, and nothing in this path imports prefect,
pandas or great_expectations. JSON shapes: an agent document is the Agent
record; an event is ``{id, from_state, to_state, at, actor, reason, key}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from swarmops.cli.context import cli_context
from swarmops.cli.fsm import open_agents
from swarmops.cli.output import Format, emit_json, emit_line, emit_table
from swarmops.identifiers import check_identifier, check_role
from swarmops.limits import MAX_CAPACITY, MAX_INT

if TYPE_CHECKING:
    from swarmops.fsm import Agent, AgentEvent, VerifyReport

agent_app = typer.Typer(
    help="Agent lifecycle: register, transition, heartbeat, inspect, verify, rebuild.",
    no_args_is_help=True,
)

AgentId = Annotated[
    str, typer.Argument(help="The agent id.", show_default=False, parser=check_identifier)
]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
AGENT_COLUMNS = (
    "id",
    "role",
    "state",
    "version",
    "capacity",
    "skills",
    "heartbeat_at",
    "updated_at",
)
EVENT_COLUMNS = ("id", "from_state", "to_state", "at", "actor", "reason", "key")

Role = Annotated[
    str, typer.Option("--role", help="The agent's role.", show_default=False, parser=check_role)
]
Capacity = Annotated[
    int, typer.Option("--capacity", min=0, max=MAX_CAPACITY, help="Contracts held at once.")
]
Skills = Annotated[str, typer.Option("--skills", help="Comma-separated skills, e.g. python,sql.")]
Update = Annotated[bool, typer.Option("--update", help="Change an existing agent's data.")]
Reason = Annotated[str | None, typer.Option("--reason", help="Why, for the log.")]
Actor = Annotated[
    str,
    typer.Option(
        "--actor",
        help="'system', the agent's own id, or an operator name.",
        parser=check_identifier,
    ),
]
ExpectVersion = Annotated[
    int | None,
    typer.Option(
        "--expect-version", min=0, max=MAX_INT, help="Fail (exit 1) unless at this version."
    ),
]
Key = Annotated[
    str | None,
    typer.Option(
        "--key", help="Idempotency key of the agent's: repeat-safe.", parser=check_identifier
    ),
]


@agent_app.command()
def register(
    ctx: typer.Context,
    agent_id: AgentId,
    role: Role,
    capacity: Capacity = 1,
    skills: Skills = "",
    update: Update = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Register an agent (the same data again is a no-op; other data needs --update)."""
    from pydantic import ValidationError

    from swarmops.errors import BadInput
    from swarmops.fsm import AgentSpec
    from swarmops.fsm import register as register_spec
    from swarmops.store import in_unit

    wanted = tuple(s for s in skills.split(",") if s.strip())
    try:
        spec = AgentSpec(id=agent_id, role=role, capacity=capacity, skills=wanted)
    except ValidationError as exc:
        raise BadInput(f"agent {agent_id!r}: {exc.errors()[0]['msg']}") from exc
    store, machine = open_agents(ctx)
    done = in_unit(store, register_spec, machine, spec, update=update)
    _emit_agents(fmt, [done.agent], one=True)


@agent_app.command()
def transition(
    ctx: typer.Context,
    agent_id: AgentId,
    state: Annotated[str, typer.Argument(help="The target state.", show_default=False)],
    reason: Reason = None,
    actor: Actor = "operator",
    expect_version: ExpectVersion = None,
    key: Key = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Move an agent to STATE (illegal moves exit 2 and name the allowed targets)."""
    from swarmops.fsm import transition as move
    from swarmops.store import in_unit

    store, machine = open_agents(ctx)
    options = {"reason": reason, "actor": actor, "expect_version": expect_version, "key": key}
    result = in_unit(store, move, machine, agent_id, state, **options)
    if fmt is Format.json:
        emit_json(result.public())
        return
    _emit_agents(fmt, [result.agent], one=True)
    _emit_events(
        fmt, [result.event], title="replayed (key already used)" if result.replayed else None
    )


@agent_app.command()
def heartbeat(ctx: typer.Context, agent_id: AgentId, fmt: FormatOption = Format.table) -> None:
    """Record that the agent is alive (an OFFLINE agent rejoins: IDLE, or ONBOARDING if it
    never took work)."""
    from swarmops.fsm import heartbeat as beat
    from swarmops.store import in_unit

    store, machine = open_agents(ctx)
    _emit_agents(fmt, [in_unit(store, beat, machine, agent_id)], one=True)


@agent_app.command()
def show(
    ctx: typer.Context,
    agent_id: Annotated[
        str | None, typer.Argument(help="One agent; all when omitted.", parser=check_identifier)
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Show one agent, or every agent."""
    from swarmops.fsm import get_agent, list_agents

    store = cli_context(ctx).store()
    if agent_id is None:
        _emit_agents(fmt, list_agents(store), one=False)
    else:
        _emit_agents(fmt, [get_agent(store, agent_id)], one=True)


@agent_app.command()
def history(ctx: typer.Context, agent_id: AgentId, fmt: FormatOption = Format.table) -> None:
    """The agent's events, oldest first (the registration is the first)."""
    from swarmops.fsm import agent_history

    _emit_events(fmt, agent_history(cli_context(ctx).store(), agent_id), title=agent_id)


@agent_app.command()
def verify(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """Replay every agent's log against its projection; exit 1 on any difference."""
    from swarmops.fsm import verify_agents

    report = verify_agents(*open_agents(ctx))
    _emit_report(fmt, report, "log and projection agree", "differences")


@agent_app.command()
def rebuild(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """Rewrite every agent's state and version from its log; exit 1 when anything was
    wrong (the report lists it: what it rewrote, and log problems it cannot repair)."""
    from swarmops.fsm import rebuild_agents

    store, machine = open_agents(ctx)
    with store.unit() as unit:
        report = rebuild_agents(unit, machine)
    _emit_report(fmt, report, "nothing to rebuild", "rebuilt from the log")


def _emit_agents(fmt: Format, agents: list[Agent], *, one: bool) -> None:
    if fmt is Format.json:
        documents = [agent.model_dump(mode="json") for agent in agents]
        emit_json(documents[0] if one else documents)
    else:
        rows = [[getattr(a, c) for c in AGENT_COLUMNS] for a in agents]
        emit_table(None, AGENT_COLUMNS, [[*r[:5], ",".join(r[5]), *r[6:]] for r in rows])


def _emit_events(fmt: Format, events: list[AgentEvent], *, title: str | None) -> None:
    documents = [event.public() for event in events]
    if fmt is Format.json:
        emit_json(documents)
    else:
        emit_table(title, EVENT_COLUMNS, [[d[c] for c in EVENT_COLUMNS] for d in documents])


def _emit_report(fmt: Format, report: VerifyReport, clean: str, title: str) -> None:
    """Print the report; a report that is not ok exits 1, like every failed check."""
    if fmt is Format.json:
        emit_json(report)
    elif report.ok:
        emit_line(f"{clean}: {report.agents} agents, {report.events} events")
    else:
        rows = [[d.agent_id, d.what, d.projection, d.log] for d in report.differences]
        emit_table(title, ("agent", "what", "projection", "log"), rows)
    if not report.ok:
        raise typer.Exit(1)
