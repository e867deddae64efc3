"""Finding and reading the YAML settings file, with its paths made relative to it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from swarmops.errors import BadInput, ConfigError, first_line
from swarmops.limits import range_note
from swarmops.yaml_strict import load_yaml

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

DEFAULT_CONFIG = Path("config/swarmops.yaml")

# Keys whose values are file paths, resolved against the config file's folder.
PATH_KEYS: tuple[tuple[str, ...], ...] = (
    ("fsm",),
    ("agents",),
    ("contracts",),
    ("compliance", "rules"),
    ("compliance", "roots"),
    ("compliance", "baseline"),
    ("health", "probes"),
    ("metrics", "textfile"),
    ("backup", "directory"),
)


def find_config(config: Path | None, env: Mapping[str, str]) -> Path | None:
    """The file named by --config, else by SWARMOPS_CONFIG, else config/swarmops.yaml if present."""
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"config file not found: {config}")
        return config
    named = env.get("SWARMOPS_CONFIG")
    if named:
        return find_config(Path(named), {})
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def read_config(path: Path) -> dict[str, Any]:
    """The file's settings as a mapping, its relative paths resolved against its folder."""
    data = read_yaml(path, "config", ConfigError) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: config must be a mapping of settings")
    return _resolve_paths(data, path.parent)


def read_yaml(path: Path, what: str, error: type[BadInput]) -> Any:
    """A declared file's parsed YAML; unreadable or malformed is one ``error`` line."""
    try:
        return load_yaml(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"{path}: cannot read {what}: {first_line(exc)}") from exc


def problem(
    exc: ValidationError,
    *,
    within: str = "",
    default: str = "",
    model: type[BaseModel] | None = None,
) -> str:
    """The first validation error as one ``key: reason`` (key under ``within``), with the
    declared range of ``model``'s field when a number broke it."""
    error = exc.errors()[0]
    note = range_note(model, error) if model is not None else ""
    return describe_error(error, within=within, default=default) + note


def describe_error(error: Mapping[str, Any], *, within: str = "", default: str = "") -> str:
    """One pydantic error as ``key: reason``; ``default`` names the key when it has none."""
    parts = [str(part) for part in (within, *error["loc"]) if str(part)]
    key = ".".join(parts) or default
    reason = str(error["msg"]).removeprefix("Value error, ")
    return f"{key}: {reason}" if key else reason


def _resolve_paths(data: dict[str, Any], folder: Path) -> dict[str, Any]:
    for keys in PATH_KEYS:
        parent: dict[str, Any] = data
        for key in keys[:-1]:
            child = parent.get(key)
            parent = child if isinstance(child, dict) else {}
        leaf = keys[-1]
        if leaf in parent and parent[leaf] is not None:
            parent[leaf] = _join(folder, parent[leaf])
    return data


def _join(folder: Path, value: Any) -> Any:
    if isinstance(value, list):
        return [_join(folder, item) for item in value]
    if isinstance(value, str):
        return os.path.normpath(folder / value) if not Path(value).is_absolute() else value
    return value
