"""The overlap rule of swarmops.reservations.globs, as a table of its hard cases.

Every (glob, path) case is also checked against pathspec's own gitwildmatch match of
the anchored glob (case folded), so the rule cannot drift from the semantics it names.
"""

from __future__ import annotations

import pathspec
import pytest

from swarmops.errors import BadInput
from swarmops.reservations import covers, normalise, overlaps

# (first, second, overlap?) -- symmetric: each case is checked both ways.
GLOB_CASES = [
    ("src/a.py", "src/a.py", True),
    ("src/a.py", "src/b.py", False),
    ("**", "anything/at/all.txt", True),
    ("**", "*.md", True),
    ("**/*.py", "src/deep/x.py", True),
    ("**/*.py", "x.py", True),  # ** takes zero segments too
    ("**/*.py", "README.md", True),  # README.md may be a folder: README.md/x.py is both
    ("**/*.py", "docs/*.md", True),  # likewise docs/a.md/x.py
    ("src/**/*.py", "docs/x.md", False),
    ("*.py", "src/a.py", False),  # anchored: one segment at the root only
    ("src/**/test_*.py", "src/test_a.py", True),
    ("src/**/test_*.py", "src/x/y/test_a.py", True),
    ("src/**/test_*.py", "lib/test_a.py", False),
    ("src/", "src/a/b.py", True),  # a directory covers what lies beneath
    ("src", "src/a/b.py", True),
    ("src/**", "src", True),
    ("src/", "srcx/a.py", False),
    ("docs/", "docs/**/*.md", True),
    ("Src/A.py", "src/a.py", True),  # case-insensitive, conservatively
    ("SRC/**", "src/x.py", True),
    ("./src/a.py", "src/a.py", True),  # ./ and . segments drop
    ("src/./a.py", "src//a.py", True),
    ("*.py", "*.md", False),  # fixed suffixes contradict
    ("test_*", "*_test.py", True),  # fixed text agrees: test__test.py matches both
    ("a*b", "a*c", False),
    ("src/*/x.py", "src/**/x.py", True),
    ("src/*/x.py", "src/a/b/x.py", False),
    ("src/[ab].py", "src/a.py", True),
    ("src/[ab].py", "src/c.py", False),
    ("src/?.py", "src/ab.py", False),
    ("src/*.py", "src/[ab]*.py", True),  # both wild, nothing contradicts: conservative
    ("a/**/b/**/c", "a/b/c", True),
    ("a/**/b", "a/c", True),  # a/c/b lies beneath a/c
    ("a/**/b", "c/b", False),
]
# (glob, file path, covered?) -- a path is a file: covered exactly as gitwildmatch says.
PATH_CASES = [
    ("**/*.py", "README.md", False),
    ("**/*.py", "src/deep/x.py", True),
    ("*.py", "src/a.py", False),
    ("*.py", "a.py", True),
    ("src/", "src/a/b.py", True),
    ("src/**", "src/a.py", True),
    ("src", "srcx/a.py", False),
    ("a/**/b", "a/c", False),
    ("a/**/b", "a/x/y/b", True),
    ("Src/A.py", "src/a.py", True),
    ("./docs/*.md", "docs/index.md", True),
    ("docs/*.md", "docs/sub/index.md", False),
    ("src/[ab].py", "src/b.py", True),
    ("test_*", "test_x/y.py", True),
]
REFUSED = [
    "",
    "   ",
    "/etc/passwd",
    "C:\\x\\y.py",
    "../other/x.py",
    "src/../../x",
    "!src/a.py",
    ".",
]


@pytest.mark.parametrize(("first", "second", "expected"), GLOB_CASES)
def test_overlap_table(first: str, second: str, expected: bool) -> None:
    a, b = normalise(first), normalise(second)
    assert overlaps(a, b) is expected
    assert overlaps(b, a) is expected


@pytest.mark.parametrize(("glob", "path", "expected"), PATH_CASES)
def test_a_glob_covers_a_path_exactly_when_gitwildmatch_matches(
    glob: str, path: str, expected: bool
) -> None:
    g, p = normalise(glob), normalise(path)
    spec = pathspec.GitIgnoreSpec.from_lines(["/" + g.casefold()])
    assert covers(g, p) is spec.match_file(p.casefold()) is expected
    if expected:  # conservative: the glob-to-glob rule never misses a real collision
        assert overlaps(g, p) and overlaps(p, g)


@pytest.mark.parametrize("pattern", REFUSED)
def test_paths_outside_the_repository_are_refused(pattern: str) -> None:
    with pytest.raises(BadInput):
        normalise(pattern)


def test_normal_forms() -> None:
    assert normalise("./src//a.py") == "src/a.py"
    assert normalise("src/") == "src"
    assert normalise("src/**") == "src"
    assert normalise("**") == "**"
