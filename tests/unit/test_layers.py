"""The layer rule of DESIGN.md: the domain (swarmops/) never imports prefect."""

from __future__ import annotations

import ast
import re
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "swarmops"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_domain_never_imports_prefect() -> None:
    offenders = sorted(
        str(path.relative_to(DOMAIN.parent))
        for path in DOMAIN.rglob("*.py")
        if any(name.split(".")[0] == "prefect" for name in imported_modules(path))
    )
    assert offenders == []


def test_domain_never_imports_the_orchestration_layers() -> None:
    layers = {"flows", "tasks", "deployments"}
    offenders = sorted(
        str(path.relative_to(DOMAIN.parent))
        for path in DOMAIN.rglob("*.py")
        if path.parent.name != "cli"  # the CLI's pipeline/serve commands reach into them
        and any(name.split(".")[0] in layers for name in imported_modules(path))
    )
    assert offenders == []


# Asking the live connection or engine which database it is, or reaching for one
# database's SQL constructs (settings' parsing of a URL's scheme is not a branch).
DIALECT_BRANCH = re.compile(
    r"dialect\.name|\.dialect\s*[=!]=|sqlalchemy\.dialects|\bloaded_dbapi\b|get_backend_name"
)
CODE = [DOMAIN, *(DOMAIN.parent / layer for layer in ("flows", "tasks", "deployments"))]


def test_no_database_branch_lives_outside_the_store_package() -> None:
    """The unit of work picks each statement's SQLite or PostgreSQL form; nothing else asks."""
    store = DOMAIN / "store"
    offenders = [
        f"{path.relative_to(DOMAIN.parent)}:{number}"
        for folder in CODE
        for path in sorted(folder.rglob("*.py"))
        if store not in path.parents
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DIALECT_BRANCH.search(line)
    ]
    assert offenders == []
