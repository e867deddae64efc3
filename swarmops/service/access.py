"""Who may do what: an agent's token acts only as that agent; operators do operator work."""

from __future__ import annotations

from swarmops.errors import SwarmopsError
from swarmops.tokens import Principal


class Forbidden(SwarmopsError):
    """The caller is authenticated but may not do this (HTTP 403)."""

    exit_code = 2


def require_self(caller: Principal, agent_id: str) -> None:
    """Only the agent itself acts as ``agent_id``."""
    if caller.is_operator:
        raise Forbidden(f"operator {caller.name!r} cannot act as agent {agent_id!r}")
    if caller.name != agent_id:
        raise Forbidden(f"agent {caller.name!r} cannot act as agent {agent_id!r}")


def require_self_or_operator(caller: Principal, agent_id: str) -> None:
    """Reads and operator moves: the agent itself, or any operator."""
    if not caller.is_operator and caller.name != agent_id:
        raise Forbidden(f"agent {caller.name!r} cannot act as agent {agent_id!r}")


def require_operator(caller: Principal) -> None:
    if not caller.is_operator:
        raise Forbidden(f"agent {caller.name!r}: this is operator work")
