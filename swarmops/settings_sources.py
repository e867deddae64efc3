"""Where each setting came from, so an error names the real source, and which ``SWARMOPS_``
variables are no setting (a typo such as ``SWARMOPS_STOR_URL`` is warned about).

A value is named by the source that set it: a CLI flag (``--store-url``), an
environment variable (``SWARMOPS_COORDINATION__LEASE_S``) or the config file and key
(``config/swarmops.yaml: coordination.lease_s``). A number's declared range is part
of the message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from swarmops.config_file import describe_error
from swarmops.limits import range_note

PREFIX = "SWARMOPS_"
# SWARMOPS_ variables that are not settings, and what reads them.
OTHER_VARIABLES = frozenset(
    {
        "SWARMOPS_CONFIG",  # the settings file (swarmops.config_file)
        "SWARMOPS_API_URL",  # the gateway of the thin client (swarmops.cli.remote)
        "SWARMOPS_TOKEN",  # the thin client's and hooks' bearer token
        "SWARMOPS_AGENT",  # the agent a hook or `reserve` acts as
        "SWARMOPS_REPOSITORY",  # the repository hooks and deployments work in
        "SWARMOPS_HOOK_BUDGET_S",  # swarmops.hooks
        "SWARMOPS_HOOK_COMPLIANCE",
        "SWARMOPS_HOOK_FAIL_ON",
        "SWARMOPS_HOOK_RULES",
        "SWARMOPS_BASELINE",  # the pre-commit guard's baseline
        "SWARMOPS_STORE_SECRET",  # the Prefect Secret block of the store URL (flows)
        "SWARMOPS_COMMIT",  # the commit a deployment pins (CI)
        "SWARMOPS_TEST_PG_URL",  # the test suite's PostgreSQL
        "SWARMOPS_BENCH_PG_URL",  # the benchmarks' PostgreSQL
    }
)


def setting_path(variable: str) -> tuple[str, ...] | None:
    """``SWARMOPS_A__B`` as the settings path ``("a", "b")``; None for another variable."""
    if not variable.upper().startswith(PREFIX):
        return None
    return tuple(variable[len(PREFIX) :].lower().split("__"))


def unknown_variables(env: Mapping[str, str], fields: frozenset[str]) -> list[str]:
    """The ``SWARMOPS_`` variables that are neither a setting nor one swarmops reads."""
    return sorted(
        name
        for name in env
        if (path := setting_path(name)) is not None
        and path[0] not in fields
        and name.upper() not in OTHER_VARIABLES
    )


@dataclass(frozen=True)
class Origins:
    """The sources of one load: the file's values, the variables and the flags given."""

    model: type[BaseModel]
    path: Path | None = None
    file_values: Mapping[str, Any] = field(default_factory=dict)
    variables: Mapping[tuple[str, ...], str] = field(default_factory=dict)
    flags: Mapping[tuple[str, ...], str] = field(default_factory=dict)

    def describe(self, exc: ValidationError) -> str:
        """Every problem of ``exc`` as ``SOURCE: key: reason (allowed: range)``."""
        return "; ".join(self._one(error) for error in exc.errors())

    def _one(self, error: Mapping[str, Any]) -> str:
        loc = tuple(str(part) for part in error["loc"])
        reason = describe_error({**error, "loc": ()}) + range_note(self.model, error)
        return f"{self._source(loc)}: {reason}"

    def _source(self, loc: tuple[str, ...]) -> str:
        for depth in range(len(loc), 0, -1):
            if loc[:depth] in self.flags:
                return self.flags[loc[:depth]]
            if loc[:depth] in self.variables:
                return self.variables[loc[:depth]]
        key = ".".join(loc) or "settings"
        return f"{self.path}: {key}" if self.path and _holds(self.file_values, loc) else key


def _holds(values: Mapping[str, Any], loc: Sequence[str]) -> bool:
    """True when the file's mapping has a value at ``loc`` (or at a part of it)."""
    node: Any = values
    for part in loc:
        if not isinstance(node, Mapping) or part not in node:
            return node is not values
        node = node[part]
    return True
