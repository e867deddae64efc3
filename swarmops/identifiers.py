"""The one identifier rule: agent ids, roles, actors, contract and task ids, idempotency keys.

An identifier is 1 to 128 letters, digits, ``.``, ``_`` or ``-`` and starts with a
letter or a digit; a role at most 64 (its column), so ``role:NAME`` is a queue name
no other can spell. The rule fits every VARCHAR column of the store, so SQLite and
PostgreSQL accept and refuse the same values. It is checked where a value enters:
the CLI's options (``check_identifier`` as typer's parser), the config files and the
gateway's bodies and paths (the pydantic types below).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, Field, JsonValue

MAX_ID = 128
MAX_ROLE = 64
IDENTIFIER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
PATTERN = f"^{IDENTIFIER_RE.pattern}$"  # the same rule for pydantic and FastAPI (anchored)
RULE = "letters, digits, '.', '_' or '-', starting with a letter or digit"


def is_identifier(value: str, *, max_length: int = MAX_ID) -> bool:
    return len(value) <= max_length and IDENTIFIER_RE.fullmatch(value) is not None


def check_identifier(value: str, *, max_length: int = MAX_ID) -> str:
    """``value`` if it follows the rule, else a ValueError that states the rule."""
    if not is_identifier(value, max_length=max_length):
        raise ValueError(f"{_shown(value)} is not an identifier (1-{max_length} {RULE})")
    return value


def check_role(value: str) -> str:
    """A role: an identifier of at most 64 characters."""
    return check_identifier(value, max_length=MAX_ROLE)


def _field(max_length: int, check: Callable[[str], str]) -> Any:
    """The pydantic type: the schema states the pattern (OpenAPI, MCP tool inputs), and the
    check says the rule in words when a value breaks it."""
    schema: dict[str, JsonValue] = {"pattern": PATTERN}
    return Annotated[
        str,
        Field(min_length=1, max_length=max_length, json_schema_extra=schema),
        AfterValidator(check),
    ]


def _shown(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:36] + "...'"


Identifier = _field(MAX_ID, check_identifier)
Role = _field(MAX_ROLE, check_role)
