"""A demo swarm on disk for flow and server tests: the repository's config/ copied to a
folder, with the compliance roots, baseline and metrics textfile moved inside it and
the store on a fresh SQLite file (or a given URL), initialised by ``swarmops init``'s code
unless asked not to.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from swarmops.bootstrap import initialise
from swarmops.settings import Settings, load_settings

CONFIG = Path(__file__).resolve().parents[2] / "config"
SMALL_MODULE = (
    '"""A small module that passes every rule."""\n\n\ndef answer() -> int:\n    return 42\n'
)


class Demo(BaseModel):
    """A demo swarm on disk: its config file, store URL and compliance root."""

    model_config = ConfigDict(frozen=True)

    config: Path
    store_url: str
    root: Path

    def settings(self) -> Settings:
        return load_settings(self.config, store_url=self.store_url)

    def params(self) -> dict[str, Any]:
        return {"config": str(self.config), "store_url": self.store_url}


def make_demo(folder: Path, store_url: str | None = None, init: bool = True) -> Demo:
    """Copy config/ under ``folder`` and point every writable path inside it; with
    ``init`` the store is initialised as ``swarmops init`` does, else left untouched."""
    config = folder / "config"
    shutil.copytree(CONFIG, config)
    root = folder / "repo"
    root.mkdir()
    (root / "small.py").write_text(SMALL_MODULE, encoding="utf-8")
    data = yaml.safe_load((config / "swarmops.yaml").read_text(encoding="utf-8"))
    data["compliance"].update(roots=[str(root)], baseline=str(folder / "baseline.json"))
    data["metrics"]["textfile"] = str(folder / "metrics.prom")
    (config / "swarmops.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    demo = Demo(
        config=config / "swarmops.yaml",
        store_url=store_url or f"sqlite:///{folder / 'swarmops.db'}",
        root=root,
    )
    if init:
        initialise(demo.settings())
    return demo
