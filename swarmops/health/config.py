"""Loading the probes file (``health.probes``): parse, check the names, resolve paths.

Relative disk paths are resolved against the probes file's folder, like every
other path in a config file.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from swarmops.config_file import problem, read_yaml
from swarmops.errors import ConfigError
from swarmops.health.specs import DiskProbe, ProbeSpec


class ProbesFile(BaseModel):
    """The whole probes file: a ``probes:`` list with unique names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    probes: list[ProbeSpec] = Field(default_factory=list)


def load_probes(path: Path) -> list[ProbeSpec]:
    """The enabled probes declared in ``path``; a bad file is one clear ConfigError, and so
    is one that enables no probe: a round of nothing would pass and mean nothing."""
    data = read_yaml(path, "probes", ConfigError) or {}
    try:
        parsed = ProbesFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {problem(exc, model=ProbesFile)}") from exc
    names = [probe.name for probe in parsed.probes]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ConfigError(f"{path}: duplicate probe names: {', '.join(duplicates)}")
    enabled = [_resolved(probe, path.parent) for probe in parsed.probes if probe.enabled]
    if not enabled:
        what = "every probe is disabled" if parsed.probes else "no probes declared"
        raise ConfigError(f"{path}: {what}; a health check needs at least one probe")
    return enabled


def _resolved(probe: ProbeSpec, folder: Path) -> ProbeSpec:
    if isinstance(probe, DiskProbe) and not probe.path.is_absolute():
        return probe.model_copy(update={"path": Path(folder, probe.path).resolve()})
    return probe
