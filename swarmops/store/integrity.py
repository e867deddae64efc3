"""The store's integrity check, for ``agent verify`` and the health store probe.

A query reads only the pages it needs, so a store with damaged pages elsewhere
answers it and looks healthy. On SQLite ``PRAGMA quick_check`` reads every page
(without the slower index cross-checks of ``integrity_check``); on both databases
every table of the schema must be there. A failure is ``StoreCorrupt`` naming the
store and the first problem, one line like every other store error.
"""

from __future__ import annotations

import sqlalchemy as sa

from swarmops.errors import StoreCorrupt
from swarmops.store.schema import metadata
from swarmops.store.unit import Unit

MAX_REPORTED = 10  # quick_check stops after this many problems: the first one is printed


def integrity_problems(unit: Unit) -> list[str]:
    """What is wrong with the store's structure, empty when nothing is."""
    problems: list[str] = []
    if unit.dialect == "sqlite":
        rows = unit.execute(sa.text(f"PRAGMA quick_check({MAX_REPORTED})")).scalars()
        lines = [line.strip() for row in rows if row != "ok" for line in str(row).splitlines()]
        problems.extend(line for line in lines if line and not line.startswith("***"))
    present = set(sa.inspect(unit.connection).get_table_names())
    problems.extend(f"table {name} is missing" for name in metadata.tables if name not in present)
    return problems


def check_integrity(unit: Unit) -> None:
    """Raise ``StoreCorrupt`` when the store's structure is damaged."""
    problems = integrity_problems(unit)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise StoreCorrupt(f"store {unit.url}: damaged: {problems[0]}{more}")
