"""The demo's own workspace: a copy of the config whose every writable path (store,
compliance root and baseline, metrics textfile) lies inside one folder, laid anew on
each run so the demo always starts from a store that was never initialised.

The heartbeat timeout is cut to a few seconds so the failover sweep of the
operations stage sees the agent that fell silent during the earlier stages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from swarmops.errors import BadInput
from swarmops.settings import Settings, load_settings
from swarmops.yaml_strict import load_yaml

MARKER = ".swarmops-demo"
HEARTBEAT_TIMEOUT_S = 4.0
SMALL_MODULE = '"""A module the demo agents keep within the rules."""\n\n\ndef answer() -> int:\n    return 42\n'


class Workspace(BaseModel):
    """Where the demo's config, store and scanned repository live."""

    model_config = ConfigDict(frozen=True)

    folder: Path
    config: Path
    store_url: str
    root: Path

    def settings(self) -> Settings:
        return load_settings(self.config, store_url=self.store_url)


def prepare_workspace(folder: Path, config: Path, store_url: str | None = None) -> Workspace:
    """Lay the workspace out under ``folder`` from the config file ``config``."""
    folder = folder.resolve()
    _clear(folder)
    shutil.copytree(config.resolve().parent, folder / "config")
    root = folder / "repo"
    root.mkdir()
    (root / "module.py").write_text(SMALL_MODULE, encoding="utf-8")
    copied = folder / "config" / config.name
    url = store_url or f"sqlite:///{folder / 'swarmops.db'}"
    _point_inside(copied, root, folder, url)
    return Workspace(folder=folder, config=copied, store_url=url, root=root)


def _clear(folder: Path) -> None:
    """Remove an earlier demo workspace; refuse to touch a folder that is not one."""
    if folder.exists():
        if not (folder / MARKER).is_file():
            raise BadInput(f"{folder} exists and is not a demo workspace; pick another --folder")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("laid out by swarmops demo; removed on the next run\n")


def _point_inside(config: Path, root: Path, folder: Path, store_url: str) -> None:
    data = load_yaml(config.read_text(encoding="utf-8")) or {}
    data["store_url"] = store_url
    data.setdefault("compliance", {}).update(
        roots=[str(root)], baseline=str(folder / "baseline.json")
    )
    data.setdefault("metrics", {})["textfile"] = str(folder / "metrics.prom")
    data.setdefault("coordination", {})["heartbeat_timeout_s"] = HEARTBEAT_TIMEOUT_S
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
