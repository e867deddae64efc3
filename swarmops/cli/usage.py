"""Usage errors (an unknown option, a value of the wrong type or out of range, a missing
argument) as the one line every other error is: the command, what is wrong, where help is.

Typer would print its usage block (three lines and a box); the CLI's contract is one
line on stderr and exit 2, e.g. ``swarmops: error: agent show: no such option: --limit
(see 'swarmops agent show --help')``. A number's declared range is part of the line.
"""

from __future__ import annotations

from typing import Any

from typer._click.exceptions import NoArgsIsHelpError
from typer.exceptions import TyperException

from swarmops.errors import first_line
from swarmops.limits import shown_number


def is_help_request(exc: TyperException) -> bool:
    """A group called with nothing: Typer shows its help, which is not an error line."""
    return isinstance(exc, NoArgsIsHelpError)


def usage_line(exc: TyperException) -> str:
    """``COMMAND: what is wrong (range) (see 'swarmops COMMAND --help')``."""
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "swarmops"
    command = path.removeprefix("swarmops").strip()
    text = _reason(exc) + _declared_range(getattr(exc, "param", None))
    hint = f" (see '{path} --help')" if ctx is not None else ""
    return f"{command}: {text}{hint}" if command else f"{text}{hint}"


def _reason(exc: TyperException) -> str:
    text = first_line(Exception(exc.format_message())).replace("Value error, ", "")
    return (text[:1].lower() + text[1:]).rstrip(".")


def _declared_range(param: Any) -> str:
    """`` (allowed: 0 <= x <= 9)`` for a number option declared with typer's min/max."""
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is None and high is None:
        return ""
    bounds = [shown_number(low)] if low is not None else []
    bounds += ["x", *([shown_number(high)] if high is not None else [])]
    return f" (allowed: {' <= '.join(bounds)})"
