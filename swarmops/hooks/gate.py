"""The compliance gate of one edit: findings its resulting content adds, judged in memory.

The file's text before and after the edit are measured with the scanner's own
per-file measure (``swarmops.compliance.measure``), nothing is written. A finding is
added when the edit leaves more findings of its (rule, symbol) than there were; one
that was there already is the baseline's business, not this edit's. Only ``*.py``
files are judged. The limits are the rule set's profile for that path (gui globs and
overrides applied): building it needs the rule set (pydantic), so it is built once per
rules file version and path and kept in ``<repo>/.swarmops/hook-profiles.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from swarmops.compliance.measure import RawFinding, measure_source
from swarmops.compliance.registry import SEVERITY_RANK

CACHE = Path(".swarmops", "hook-profiles.json")
RULES_ENV = "SWARMOPS_HOOK_RULES"
RULE_FILES = (Path("config", "v2_rules.yaml"), Path("pyproject.toml"))
UNITS = {"function-params": "parameters", "functions-per-file": "functions"}
UNITS |= {"classes-per-file": "classes", "enums-per-file": "Enum classes"}


def added_findings(
    root: Path, relpath: str, before: str | None, after: str, fail_on: str
) -> list[RawFinding]:
    """The findings at or above ``fail_on`` that ``after`` has and ``before`` had not."""
    if not relpath.endswith(".py"):
        return []
    profile = profile_for(root, relpath)
    threshold = SEVERITY_RANK[fail_on]
    _lines, now = measure_source(after.encode("utf-8"), profile)
    if not any(SEVERITY_RANK[finding[1]] >= threshold for finding in now):
        return []  # the common case: one parse, the text before need not be measured
    _lines, was = measure_source(before.encode("utf-8"), profile) if before else (0, [])
    seen: dict[tuple[str, str | None], int] = {}
    for finding in was:
        seen[(finding[0], finding[3])] = seen.get((finding[0], finding[3]), 0) + 1
    new = []
    for finding in now:
        key = (finding[0], finding[3])
        if seen.get(key, 0) > 0:
            seen[key] -= 1
        elif SEVERITY_RANK[finding[1]] >= threshold:
            new.append(finding)
    return new


def describe(relpath: str, finding: RawFinding) -> str:
    """One short line the agent can act on: which rule, symbol, value and limit."""
    rule, severity, line, symbol, value, limit, _message = finding
    what = f"{symbol} (line {line})" if symbol else relpath
    unit = UNITS.get(rule, "lines")
    return f"{rule}: {what} would be {value} {unit}, limit {limit} ({severity})"


def profile_for(root: Path, relpath: str) -> Any:
    """The rule profile of ``relpath``, from the cache when the rules file is unchanged."""
    source = rules_file(root)
    stamp = _stamp(source)
    cache_file = root / CACHE
    cached = _load(cache_file)
    key = f"{stamp}|{relpath}"
    if key not in cached:
        cached = {k: v for k, v in cached.items() if k.startswith(stamp + "|")}
        cached[key] = _build(root, source, relpath)
        _save(cache_file, cached)
    return tuple(tuple(item) for item in cached[key])


def rules_file(root: Path) -> Path | None:
    """The rules the hooks judge by: ``SWARMOPS_HOOK_RULES``, else the repository's
    config/v2_rules.yaml or pyproject.toml, else None (the built-in defaults)."""
    explicit = os.environ.get(RULES_ENV)
    if explicit:
        return Path(explicit)
    return next((root / name for name in RULE_FILES if (root / name).is_file()), None)


def _stamp(source: Path | None) -> str:
    if source is None:
        return "defaults"
    info = source.stat()
    return f"{source}:{info.st_mtime_ns}:{info.st_size}"


def _build(root: Path, source: Path | None, relpath: str) -> list[Any]:
    from swarmops.compliance.sources import load_rules, resolve_rules

    if source is not None and source.suffix in (".yaml", ".yml"):
        rules = load_rules(source)
    else:
        rules, _where = resolve_rules(None, None, [root])
    return [list(item) for item in rules.profile_for(relpath)]


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        return  # a read-only checkout: the profile is rebuilt next time, nothing is lost
