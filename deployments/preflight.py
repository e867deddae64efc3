"""The build step of prefect.yaml: refuse to deploy what a worker could not run.

``prefect deploy`` runs :func:`check_environment` before it registers anything. A
missing or empty ``SWARMOPS_REPOSITORY`` (CI gives an empty string for a missing
variable) would register pull steps that clone nothing, and every run would crash on
the worker; so it stops the deploy with one line naming the variable. It returns the
repository and the commit the pull steps clone (``{{ source.repository }}``,
``{{ source.commit }}``): ``SWARMOPS_COMMIT``, else this checkout's HEAD.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

from swarmops.errors import ConfigError

REPOSITORY = "SWARMOPS_REPOSITORY"
COMMIT = "SWARMOPS_COMMIT"
SHA = re.compile(r"^[0-9a-f]{7,64}$")


def required(environ: Mapping[str, str], name: str) -> str:
    """The variable's value, or ConfigError when it is unset, empty or a bare template."""
    value = environ.get(name, "").strip()
    if not value or value.startswith("{{"):
        state = "empty" if name in environ else "not set"
        raise ConfigError(f"{name} is {state}: set it to the git repository workers clone")
    return value


def head_commit(folder: Path) -> str:
    """The commit checked out in ``folder`` (the checkout being deployed)."""
    done = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise ConfigError(f"{COMMIT} is not set and {folder} is not a git checkout")
    return done.stdout.strip()


def check_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The repository and commit to clone; raises ConfigError naming what is missing."""
    env = os.environ if environ is None else environ
    repository = required(env, REPOSITORY)
    commit = env.get(COMMIT, "").strip() or head_commit(Path.cwd())
    if not SHA.match(commit):
        raise ConfigError(f"{COMMIT} must be a commit hash, not {commit!r}")
    return {"repository": repository, "commit": commit}
