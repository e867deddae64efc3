"""Settings: one pydantic-settings model, built once at the edge and passed down.

Precedence, highest first: explicit overrides (the CLI's ``--store-url``), then
``SWARMOPS_<SECTION>__<KEY>`` environment variables, then the YAML config file,
then the defaults below. Relative paths in a config file are resolved against
that file's folder; the store URL is used as given.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.exceptions import SettingsError

from swarmops.config_file import find_config, read_config
from swarmops.errors import ConfigError, first_line
from swarmops.settings_sections import (
    ComplianceSettings,
    CoordinationSettings,
    HealthSettings,
    ProgressSettings,
    Section,
)
from swarmops.settings_sources import Origins, setting_path, unknown_variables

MAX_KEPT = 100_000  # backups kept by either rule
DEFAULT_STORE_URL = "sqlite:///.swarmops/swarmops.db"
SUPPORTED_SCHEMES = ("sqlite", "postgresql")


class MetricsSettings(Section):
    textfile: Path | None = Path(".swarmops/metrics.prom")
    pushgateway: str | None = None
    host: str = "127.0.0.1"  # where `swarmops serve` binds /metrics; 0.0.0.0 to expose it
    port: int = Field(default=9108, ge=0, le=65535)


class AlertSettings(Section):
    apprise_url: str | None = None


class BackupSettings(Section):
    """Where backups go and how many stay: the last ``keep_last``, and the newest of each
    of the last ``keep_daily`` days (UTC); the rest are pruned."""

    directory: Path = Path(".swarmops/backups")
    keep_last: int = Field(default=24, ge=1, le=MAX_KEPT)
    keep_daily: int = Field(default=7, ge=0, le=MAX_KEPT)


class Settings(BaseSettings):
    """Everything swarmops reads from its environment, validated in one place."""

    model_config = SettingsConfigDict(
        env_prefix="SWARMOPS_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    store_url: str = DEFAULT_STORE_URL
    fsm: Path = Path("config/fsm.yaml")
    agents: Path = Path("config/agents.yaml")
    contracts: Path = Path("config/contracts")
    coordination: CoordinationSettings = CoordinationSettings()
    progress: ProgressSettings = ProgressSettings()
    compliance: ComplianceSettings = ComplianceSettings()
    health: HealthSettings = HealthSettings()
    metrics: MetricsSettings = MetricsSettings()
    alerts: AlertSettings = AlertSettings()
    backup: BackupSettings = BackupSettings()
    config_file: Path | None = Field(default=None, exclude=True)

    @field_validator("store_url")
    @classmethod
    def _known_store(cls, url: str) -> str:
        return normalise_store_url(url)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)  # load_settings merges file and environment itself


SETTING_FIELDS = frozenset(Settings.model_fields) - {"config_file"}


def normalise_store_url(url: str) -> str:
    """Accept sqlite and PostgreSQL URLs; pick psycopg 3 for a bare postgresql URL."""
    scheme, sep, rest = url.partition("://")
    if not sep or not rest:
        raise ValueError(f"not a database URL: {url!r}")
    dialect = scheme.split("+", 1)[0]
    if dialect == "postgres":
        dialect, scheme = "postgresql", "postgresql"
    if dialect not in SUPPORTED_SCHEMES:
        raise ValueError(f"unsupported scheme {scheme!r} (use sqlite:///PATH or postgresql://...)")
    if scheme == "postgresql":
        scheme = "postgresql+psycopg"
    return f"{scheme}://{rest}"


def load_settings(
    config: Path | None = None,
    *,
    store_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the settings from a config file, the environment and overrides; an invalid
    value is one ConfigError naming its source (flag, variable or file and key)."""
    env = os.environ if environ is None else environ
    path = find_config(config, env)
    file_values = read_config(path) if path else {}
    try:
        values = _merge(file_values, _environment_values(env))
    except SettingsError as exc:
        raise ConfigError(f"environment: {first_line(exc)}") from exc
    if path:
        values["config_file"] = path
    if store_url is not None:
        values["store_url"] = store_url
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise ConfigError(_origins(path, file_values, env, store_url).describe(exc)) from exc


def _origins(
    path: Path | None, file_values: dict[str, Any], env: Mapping[str, str], store_url: str | None
) -> Origins:
    variables = {
        loc: name for name in env if _is_setting(name) and (loc := setting_path(name)) is not None
    }
    flags: dict[tuple[str, ...], str] = {}
    if store_url is not None:
        flags[("store_url",)] = "--store-url"
    return Origins(Settings, path, file_values, variables, flags)


def unknown_setting_variables(env: Mapping[str, str]) -> list[str]:
    """``SWARMOPS_`` variables swarmops does not read (a misspelt setting, most likely)."""
    return unknown_variables(env, SETTING_FIELDS)


def _environment_values(env: Mapping[str, str]) -> dict[str, Any]:
    """The SWARMOPS_* variables as nested settings values (they beat the file)."""
    source = EnvSettingsSource(Settings, case_sensitive=False)
    source.env_vars = {k.lower(): v for k, v in env.items() if _is_setting(k)}
    return source()


def _is_setting(variable: str) -> bool:
    """SWARMOPS_<FIELD>[__KEY]; other SWARMOPS_* variables (SWARMOPS_CONFIG) are not settings."""
    name = variable.upper().removeprefix("SWARMOPS_").split("__", 1)[0].lower()
    return variable.upper().startswith("SWARMOPS_") and name in SETTING_FIELDS


def _merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        if isinstance(below, dict) and isinstance(value, Mapping):
            value = _merge(below, value)
        merged[key] = value
    return merged


__all__ = [
    "AlertSettings",
    "BackupSettings",
    "ComplianceSettings",
    "CoordinationSettings",
    "HealthSettings",
    "MetricsSettings",
    "ProgressSettings",
    "Settings",
    "load_settings",
    "normalise_store_url",
    "unknown_setting_variables",
]
