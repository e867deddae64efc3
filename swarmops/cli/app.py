"""The ``swarmops`` command: global options, command groups and the error convention.

Exit status: 0 success, 1 a failed check or a conflict, 2 bad input. An error is
one line on stderr (``swarmops: error: …``) and never a traceback unless
``--debug`` is given. Heavy libraries (prefect, pandas, great_expectations) are
imported inside the commands that need them, so agent-facing commands stay fast.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.exceptions import TyperException

from swarmops import __version__
from swarmops.cli.context import CliContext, cli_context
from swarmops.cli.groups import COMMANDS, GROUPS
from swarmops.cli.help import drop_flag_placeholders
from swarmops.cli.output import Format, emit_json, emit_line
from swarmops.cli.usage import is_help_request, usage_line
from swarmops.errors import SwarmopsError, error_line

INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a Ctrl-C

app = typer.Typer(
    name="swarmops",
    help="Operations control plane for a swarm of autonomous agents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _show_version(value: bool) -> None:
    if value:
        emit_line(f"swarmops {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option("--config", help="Settings file (default config/swarmops.yaml).")
    ] = None,
    store_url: Annotated[
        str | None, typer.Option("--store-url", help="Store URL; overrides config and environment.")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Global options shared by every command."""
    context = cli_context(ctx)
    context.config, context.store_url, context.debug = config, store_url, debug


@app.command()
def init(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Create or migrate the store and apply the desired state from config."""
    from swarmops.bootstrap import initialise

    report = initialise(cli_context(ctx).settings)
    if fmt is Format.json:
        emit_json(report)
    else:
        for line in report.lines():
            emit_line(line)


for _name, _group in GROUPS:
    app.add_typer(_group, name=_name)
for _command in COMMANDS:
    app.command()(_command)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the command and map errors to exit codes."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = drop_flag_placeholders(typer.main.get_command(app))
    sys.exit(_run(command, args, debug="--debug" in args))


def _run(command: Any, args: list[str], *, debug: bool) -> int:
    try:
        result = command.main(args=args, prog_name="swarmops", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except TyperException as exc:  # usage errors: one line, like every other error
        if is_help_request(exc):
            exc.show()  # type: ignore[attr-defined]
        else:
            sys.stderr.write(error_line(usage_line(exc)))
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        return _interrupted()
    except SwarmopsError as exc:
        if debug:
            traceback.print_exc()
        sys.stderr.write(error_line(exc.message))
        return exc.exit_code
    if result == INTERRUPTED:  # Typer returns a Ctrl-C inside a command as 130, unsaid
        return _interrupted()
    return result if isinstance(result, int) else 0


def _interrupted() -> int:
    sys.stderr.write("swarmops: interrupted\n")
    return INTERRUPTED


__all__ = ["CliContext", "app", "main"]
