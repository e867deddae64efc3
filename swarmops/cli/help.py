"""The built command tree: walked for the README check, and its help made truthful.

Typer's rich help prints a value placeholder beside every option, ``<bool>`` beside
a flag too (``--debug <bool>``), as if the flag took a value. Each flag (the help
option included) is given an empty metavar once the tree is built, so help shows
a placeholder only where a value goes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer


def walk_commands(
    command: Any, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command of the tree with its path of names, groups before their commands."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk_commands(sub, (*path, name))


def options_of(command: Any) -> list[Any]:
    """The options ``--help`` lists for ``command``, its help option included."""
    context = typer.Context(command)
    return [p for p in command.get_params(context) if p.param_type_name == "option"]


def drop_flag_placeholders(root: Any) -> Any:
    """Give every flag of the tree an empty metavar: help then shows no ``<bool>``."""
    for _path, command in walk_commands(root):
        for option in options_of(command):
            if option.is_flag and option.metavar is None:
                option.metavar = ""
    return root
