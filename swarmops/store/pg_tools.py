"""Running PostgreSQL's client programs (``pg_dump``, ``pg_restore``) on a store URL.

The connection goes to them as a libpq conninfo string without the password; the
password travels in ``PGPASSWORD`` of the child's environment, so it never shows
in a process listing. A missing program is a ``MissingTool`` (exit 2) naming it.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from sqlalchemy.engine import URL

from swarmops.errors import MissingTool, StoreError

CLIENT_PACKAGE = "the PostgreSQL client programs (Debian/Ubuntu: apt-get install postgresql-client)"
# URL query keys that are libpq connection parameters (``options`` carries the schema,
# which the programs are given explicitly instead).
PASSED_QUERY = ("host", "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout")


def require(*names: str) -> dict[str, str]:
    """Each program's path; one ``MissingTool`` naming every program that is missing."""
    found = {name: shutil.which(name) for name in names}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise MissingTool(
            f"{' and '.join(missing)} not found on PATH: PostgreSQL backups need {CLIENT_PACKAGE}"
        )
    return {name: path for name, path in found.items() if path is not None}


def conninfo(url: URL) -> tuple[str, dict[str, str]]:
    """The libpq conninfo of ``url`` (no password) and the environment carrying it."""
    fields: dict[str, object] = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "dbname": url.database,
    }
    fields.update({key: url.query[key] for key in PASSED_QUERY if key in url.query})
    text = " ".join(f"{key}={_quoted(str(value))}" for key, value in fields.items() if value)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return text, env


def run(program: str, args: list[str], env: dict[str, str]) -> str:
    """Run ``program`` (a path from ``require``); its stdout, or a StoreError with the
    first line it printed to stderr."""
    done = subprocess.run([program, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit status {done.returncode}"
        raise StoreError(f"{os.path.basename(program)} failed: {reason}")
    return done.stdout


def _quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"
