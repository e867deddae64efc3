"""Per-file results cached by content hash, one JSON file per set of roots.

The file carries the scanner version and the rules digest; either changing
empties the cache. A file whose size and mtime are unchanged (and not touched
in the last few seconds, so a same-tick rewrite cannot hide) is trusted without
reading it; otherwise its content hash decides.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

from swarmops.compliance.fileio import write_atomic
from swarmops.errors import BadInput

SCANNER_VERSION = "1"
# Where scans keep their cache unless told otherwise (relative to the working directory).
DEFAULT_CACHE_DIR = Path(".swarmops/cache")
RACY_SECONDS = 2.0

# One file's cached result: (lines, findings as lists).
Result = tuple[int, list[Any]]


class ScanCache:
    """Results keyed by ``digest:profile`` and the stat of each path last seen."""

    def __init__(self, path: Path | None, rules_digest: str) -> None:
        self.path = path
        self.rules_digest = rules_digest
        self.stats: dict[str, list[Any]] = {}
        self.results: dict[str, Result] = {}
        self._new_stats: dict[str, list[Any]] = {}
        self._new_results: dict[str, Result] = {}
        self._now_ns = time.time_ns()
        if path is not None:
            self._load(path)

    @classmethod
    def for_roots(cls, cache_dir: Path | None, roots: list[str], rules_digest: str) -> ScanCache:
        if cache_dir is None:
            return cls(None, rules_digest)
        key = hashlib.sha256("\0".join(roots).encode()).hexdigest()[:16]
        return cls(cache_dir / f"compliance-{key}.json", rules_digest)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(data, dict):
            return
        if data.get("version") == SCANNER_VERSION and data.get("rules") == self.rules_digest:
            self.stats = data.get("stats", {})
            self.results = data.get("results", {})

    def trusted(self, path: str, size: int, mtime_ns: int, profile: str) -> Result | None:
        """The cached result when the file's stat is unchanged and not racy."""
        seen = self.stats.get(path)
        if seen is None or seen[0] != size or seen[1] != mtime_ns:
            return None
        if self._now_ns - mtime_ns < RACY_SECONDS * 1e9:
            return None
        result = self.results.get(f"{seen[2]}:{profile}")
        if result is not None:
            self.keep(path, (size, mtime_ns), seen[2], profile, result)
        return result

    def previous_digest(self, path: str, profile: str) -> str:
        """The digest last seen at ``path`` if its result is cached, else ''."""
        seen = self.stats.get(path)
        if seen is None or f"{seen[2]}:{profile}" not in self.results:
            return ""
        return seen[2]

    def lookup(self, digest: str, profile: str) -> Result | None:
        return self.results.get(f"{digest}:{profile}")

    def keep(
        self, path: str, stat: tuple[int, int], digest: str, profile: str, result: Result
    ) -> None:
        """Remember a file for the next scan (only files of this scan are kept)."""
        if not digest:
            return
        self._new_stats[path] = [*stat, digest]
        self._new_results[f"{digest}:{profile}"] = result

    def save(self) -> None:
        """Write the cache atomically when it changed; one that cannot be written is skipped."""
        if self.path is None or (
            self._new_stats == self.stats and self._new_results == self.results
        ):
            return
        data = {
            "version": SCANNER_VERSION,
            "rules": self.rules_digest,
            "stats": self._new_stats,
            "results": self._new_results,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(data, separators=(",", ":")))
        except (OSError, BadInput):
            return
