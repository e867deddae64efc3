"""What every command gets from the global options: settings and store, built once."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from swarmops.settings import Settings
    from swarmops.store import Store


@dataclass
class CliContext:
    """The global options, with settings and store built on first use."""

    config: Path | None = None
    store_url: str | None = None
    debug: bool = False
    _settings: Settings | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from swarmops.settings import load_settings, unknown_setting_variables

            self._settings = load_settings(self.config, store_url=self.store_url)
            _warn_unknown(unknown_setting_variables(os.environ))
        return self._settings

    @property
    def config_path(self) -> Path | None:
        """The --config file as an absolute path, for processes started elsewhere."""
        return self.config.resolve() if self.config else None

    def store(self) -> Store:
        """The store, migrated to the head on first use; ``NoStore`` (exit 2) when there is
        none, since only ``init`` creates one."""
        if self._store is None:
            from swarmops.store import open_store

            self._store = open_store(self.settings.store_url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()


def _warn_unknown(names: list[str]) -> None:
    """One line on stderr: an unknown SWARMOPS_ variable is most likely a misspelt setting."""
    if names:
        sys.stderr.write(f"swarmops: warning: ignored, not a setting: {', '.join(names)}\n")


def cli_context(ctx: typer.Context) -> CliContext:
    """The CliContext of the root command, from any subcommand."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliContext):
        root.obj = CliContext()
        root.call_on_close(root.obj.close)
    return root.obj
