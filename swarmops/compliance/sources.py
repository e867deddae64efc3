"""Where a scan's rules come from, first match wins.

1. an explicit rules file (``--rules FILE``);
2. the ``compliance.rules`` setting, when a swarmops config file was found;
3. ``[tool.swarmops.compliance]`` in the first scanned root's pyproject.toml;
4. the built-in defaults (identical to config/v2_rules.yaml).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from swarmops.compliance.rules import RuleSet
from swarmops.config_file import problem, read_yaml
from swarmops.errors import InvalidDefinition, first_line

if TYPE_CHECKING:
    from swarmops.settings import Settings


def load_rules(path: Path) -> RuleSet:
    """A rule set from a YAML file; a bad file is one clear InvalidDefinition."""
    data = read_yaml(path, "rules", InvalidDefinition)
    return rules_from_mapping(data or {}, str(path))


def rules_from_mapping(data: Any, where: str) -> RuleSet:
    """A rule set from parsed data; ``where`` names the source in errors."""
    if not isinstance(data, dict):
        raise InvalidDefinition(f"{where}: rules must be a mapping")
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        raise InvalidDefinition(f"{where}: {problem(exc, default='rules')}") from exc


def rules_from_pyproject(root: Path) -> RuleSet | None:
    """``[tool.swarmops.compliance]`` of ``root/pyproject.toml``, if there is one."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidDefinition(f"{path}: cannot read: {first_line(exc)}") from exc
    section = data.get("tool", {}).get("swarmops", {}).get("compliance")
    if section is None:
        return None
    return rules_from_mapping(section, f"{path} [tool.swarmops.compliance]")


def resolve_rules(
    explicit: Path | None, settings: Settings | None, roots: list[Path]
) -> tuple[RuleSet, str]:
    """The rule set for a scan and a short description of where it came from."""
    if explicit is not None:
        return load_rules(explicit), str(explicit)
    if settings is not None and settings.config_file is not None:
        return load_rules(settings.compliance.rules), str(settings.compliance.rules)
    if roots:
        found = rules_from_pyproject(roots[0])
        if found is not None:
            return found, str(roots[0] / "pyproject.toml")
    return RuleSet(), "built-in defaults"
