"""What a reservation covers, and when two reservations overlap.

The rule, in full (the tests keep a table of its hard cases):

- A pattern is a path or a glob **relative to the repository root**, ``/``-separated,
  matched with pathspec's gitwildmatch semantics (``*`` and ``?`` within one path
  segment, ``[abc]`` classes, ``**`` across segments), always **anchored at the
  root**: ``*.py`` is the Python files at the top, ``**/*.py`` is every one. (git's
  own unanchored form, where ``foo`` matches at any depth, is spelled ``**/foo``.)
- A pattern covers what it matches **and everything beneath it**, as in .gitignore:
  ``src``, ``src/`` and ``src/**`` all cover ``src/a.py`` (and ``README.md`` may be a
  folder: as a reservation it overlaps ``**/*.py``, though the file is not covered).
- Normalisation before anything else: leading ``./`` and ``.`` segments are dropped,
  repeated slashes collapse, a trailing ``/**`` is the same as the directory. Refused
  (``BadInput``): an empty pattern, an absolute path (``/x``, ``C:\\x``), any ``..``
  segment (the path would leave the repository), a negation (``!x``) and a NUL.
- **Case-insensitive**: ``Src/A.py`` and ``src/a.py`` are one file on macOS and
  Windows, so they are treated as the same path everywhere (the conservative choice).
- A glob and a file path overlap when the glob covers the path, exactly as pathspec's
  gitwildmatch matches it (``covers``: the edit checks). Two globs overlap when
  some path could be covered by both. This is decided per segment, and
  conservatively: ``**`` may take any number of segments; two segments without
  wildcards overlap when equal; a segment with wildcards and one without overlap
  when the wildcard one matches it; two segments that both have wildcards overlap
  unless their literal prefixes (before the first wildcard) or literal suffixes
  (after the last) contradict each other (``*.py`` and ``*.md`` do not overlap;
  ``test_*`` and ``*_test.py`` do). Answering "overlap" when unsure only ever refuses
  a reservation that could have been granted, never grants a colliding one.
"""

from __future__ import annotations

import re
from functools import cache

from swarmops.errors import BadInput

try:  # pathspec 1.x names gitwildmatch's pattern this way (the old name is deprecated)
    from pathspec.patterns.gitignore.basic import GitIgnoreBasicPattern as _Pattern
except ImportError:  # pragma: no cover - pathspec 0.12
    from pathspec.patterns.gitwildmatch import GitWildMatchPattern as _Pattern

_WILD = re.compile(r"[*?\[\\]")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
MAX_PATTERN = 1024


def normalise(pattern: str) -> str:
    """The canonical form of a reservation pattern (see the module rule), or BadInput."""
    text = pattern.strip()
    if not text or "\0" in text or len(text) > MAX_PATTERN:
        raise BadInput(f"not a reservation pattern: {pattern!r}")
    if text.startswith("!"):
        raise BadInput(f"negated patterns cannot be reserved: {pattern!r}")
    if text.startswith("/") or _DRIVE.match(text):
        raise BadInput(f"{pattern!r} is absolute; reserve paths relative to the repository root")
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise BadInput(f"{pattern!r} leaves the repository ('..' is refused)")
    while parts and parts[-1] == "**" and len(parts) > 1:
        parts.pop()
    if not parts:
        raise BadInput(f"{pattern!r} names the repository itself; reserve '**' for all of it")
    return "/".join(parts)


def overlaps(first: str, second: str) -> bool:
    """Whether some path could be covered by both normalised patterns (conservative)."""
    return _overlap(tuple(first.split("/")), tuple(second.split("/")))


def covers(pattern: str, path: str) -> bool:
    """Whether the normalised ``pattern`` covers the normalised ``path`` (exactly)."""
    return _compiled(pattern).match(path) is not None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    regex, _include = _Pattern.pattern_to_regex("/" + pattern)
    return re.compile(regex, re.IGNORECASE)


@cache
def _overlap(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    if not first or not second:
        return True  # one is a directory above the other: both cover what lies beneath
    head, rest = first[0], first[1:]
    if head == "**":
        return _overlap(rest, second) or _overlap(first, second[1:])
    if second[0] == "**":
        return _overlap(second, first)
    return _segments_overlap(head, second[0]) and _overlap(rest, second[1:])


@cache
def _segments_overlap(first: str, second: str) -> bool:
    first_wild, second_wild = bool(_WILD.search(first)), bool(_WILD.search(second))
    if not first_wild and not second_wild:
        return first.casefold() == second.casefold()
    if not second_wild:
        return covers(first, second)
    if not first_wild:
        return covers(second, first)
    return _affixes_agree(first, second)


def _affixes_agree(first: str, second: str) -> bool:
    """Two wildcard segments: refuse overlap only when fixed text contradicts."""
    a, b = first.casefold(), second.casefold()
    prefix_a, prefix_b = _WILD.split(a, 1)[0], _WILD.split(b, 1)[0]
    suffix_a, suffix_b = _last_literal(a), _last_literal(b)
    prefixes = prefix_a.startswith(prefix_b) or prefix_b.startswith(prefix_a)
    suffixes = suffix_a.endswith(suffix_b) or suffix_b.endswith(suffix_a)
    return prefixes and suffixes


def _last_literal(segment: str) -> str:
    tail = re.split(r"[*?\\]|\[[^\]]*\]?", segment)[-1]
    return tail
