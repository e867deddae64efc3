"""The probes file (``health.probes``): local probe kinds and loading the whole list.

Relative disk paths are resolved against the probes file's folder, like every
other path in a config file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from swarmops.config_file import problem, read_yaml
from swarmops.errors import ConfigError
from swarmops.health.specs import HttpProbe, MetricsProbe, PrefectProbe, ProbeBase, TcpProbe


class StoreProbe(ProbeBase):
    """The store answers a trivial query and its schema is at the migration head."""

    kind: Literal["store"]
    url: str | None = None


class DiskProbe(ProbeBase):
    """A file system with at least ``min_free_bytes`` and ``min_free_ratio`` free."""

    kind: Literal["disk"]
    path: Path = Path(".")
    min_free_bytes: int = Field(0, ge=0)
    min_free_ratio: float = Field(0.0, ge=0, le=1)


ProbeSpec = Annotated[
    HttpProbe | TcpProbe | StoreProbe | PrefectProbe | DiskProbe | MetricsProbe,
    Field(discriminator="kind"),
]


class ProbesFile(BaseModel):
    """The whole probes file: a ``probes:`` list with unique names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    probes: list[ProbeSpec] = Field(default_factory=list)


def load_probes(path: Path) -> list[ProbeSpec]:
    """The enabled probes declared in ``path``; a bad file is one clear ConfigError."""
    data = read_yaml(path, "probes", ConfigError) or {}
    try:
        parsed = ProbesFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {problem(exc)}") from exc
    names = [probe.name for probe in parsed.probes]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ConfigError(f"{path}: duplicate probe names: {', '.join(duplicates)}")
    return [_resolved(probe, path.parent) for probe in parsed.probes if probe.enabled]


def _resolved(probe: ProbeSpec, folder: Path) -> ProbeSpec:
    if isinstance(probe, DiskProbe) and not probe.path.is_absolute():
        return probe.model_copy(update={"path": Path(folder, probe.path).resolve()})
    return probe
