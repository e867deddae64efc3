"""Declaring many options for a command without a long parameter list.

Typer reads a command's options from its signature. ``with_options`` appends
declared keyword options to the command's own parameters and Typer passes them
in ``**options``, so a command with many options keeps a short ``def`` line.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

Command = TypeVar("Command", bound=Callable[..., Any])


def with_options(options: Mapping[str, tuple[Any, Any]]) -> Callable[[Command], Command]:
    """Add ``{name: (type, typer.Option(...))}`` to the command's signature as keywords."""

    def decorate(command: Command) -> Command:
        signature = inspect.signature(command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
        declared = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=info, annotation=kind)
            for name, (kind, info) in options.items()
        ]
        command.__signature__ = signature.replace(parameters=[*own, *declared])  # type: ignore[attr-defined]
        return command

    return decorate
