"""Which files a scan reads, how unreadable ones are reported, and the cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from swarmops.compliance import RuleSet, scan, scanner
from swarmops.compliance import cache as cache_module
from swarmops.compliance import measure as measure_module
from swarmops.compliance.sources import rules_from_mapping

LONG_FUNCTION = "def long():\n" + "    x = 1\n" * 31


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def scanned(root: Path, rules: RuleSet | None = None) -> list[str]:
    return scan([root], rules, jobs=1).files


class TestUnreadableFiles:
    """A file that cannot be read or parsed is a parse-error finding; the scan goes on."""

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"def broken(:\n    pass\n", "syntax error"),
            (b"x = '\xff\xfe'\n", "bad encoding"),
            (b"x = 1\x00\n", "NUL bytes"),
            (b"# -*- coding: no-such-codec -*-\nx = 1\n", "syntax error"),
        ],
    )
    def test_unparseable_files_are_findings_not_crashes(
        self, tmp_path: Path, data: bytes, message: str
    ) -> None:
        write(tmp_path / "bad.py", data)
        write(tmp_path / "good.py", LONG_FUNCTION)
        report = scan([tmp_path], jobs=1)
        errors = [f for f in report.findings if f.rule == "parse-error"]
        assert [f.path for f in errors] == ["bad.py"]
        assert message in errors[0].message and errors[0].severity == "major"
        assert any(f.rule == "function-lines" and f.path == "good.py" for f in report.findings)

    def test_latin1_declared_file_parses(self, tmp_path: Path) -> None:
        write(tmp_path / "latin.py", b"# -*- coding: latin-1 -*-\nx = '\xe9'\n")
        assert scan([tmp_path], jobs=1).findings == []

    def test_permission_denied_is_a_finding(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        locked = write(tmp_path / "locked.py", "x = 1\n")
        locked.chmod(0)
        if os.geteuid() == 0:  # root reads any file: make open() refuse as it would for others

            def refuse(path: str, *args: object) -> object:
                raise PermissionError(13, "Permission denied", path)

            monkeypatch.setattr(measure_module, "read_regular", refuse)
        try:
            [finding] = scan([tmp_path], jobs=1).findings
        finally:
            locked.chmod(0o644)
        assert finding.rule == "parse-error"
        assert finding.message == "cannot read: Permission denied"

    def test_file_over_the_size_cap_is_not_parsed(self, tmp_path: Path) -> None:
        write(tmp_path / "huge.py", "x = 1\n" * 100)
        rules = rules_from_mapping({"max_file_bytes": 100}, "t")
        [finding] = scan([tmp_path], rules, jobs=1).findings
        assert (finding.rule, finding.value, finding.limit) == ("parse-error", 600, 100)


def test_symlinks_are_followed_only_inside_the_root(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside" / "secret.py", LONG_FUNCTION)
    root = tmp_path / "root"
    write(root / "real" / "mod.py", "x = 1\n")
    (root / "escape.py").symlink_to(outside)
    (root / "escape_dir").symlink_to(outside.parent, target_is_directory=True)
    (root / "alias.py").symlink_to(root / "real" / "mod.py")
    (root / "real" / "loop").symlink_to(root, target_is_directory=True)
    assert scanned(root) == ["alias.py", "real/mod.py"]


def test_nested_gitignore_files_and_negation(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "generated/\n*_pb2.py\n")
    write(tmp_path / "pkg" / ".gitignore", "local_*.py\n!local_keep.py\n")
    for name in ("a.py", "x_pb2.py", "generated/g.py", "pkg/local_1.py", "pkg/local_keep.py"):
        write(tmp_path / name, "x = 1\n")
    write(tmp_path / "pkg" / "sub" / "local_2.py", "x = 1\n")
    write(tmp_path / "notes.txt", "not python\n")
    assert scanned(tmp_path) == ["a.py", "pkg/local_keep.py"]


def test_configured_excludes_and_default_excludes(tmp_path: Path) -> None:
    for name in (
        "keep.py",
        ".venv/lib/x.py",
        "build/b.py",
        "vendor/v.py",
        "tests/fixtures/compliance/f.py",
    ):
        write(tmp_path / name, "x = 1\n")
    assert scanned(tmp_path) == ["keep.py", "vendor/v.py"]
    rules = rules_from_mapping({"exclude": ["vendor/"]}, "t")
    assert scanned(tmp_path, rules) == [
        ".venv/lib/x.py",
        "build/b.py",
        "keep.py",
        "tests/fixtures/compliance/f.py",
    ]


class TestCache:
    """Per-file results by content hash: warm scans parse nothing, edits and rule changes are seen."""

    def test_warm_scan_parses_nothing_and_edits_are_seen(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        root, cache = tmp_path / "repo", tmp_path / "cache"
        write(root / "a.py", LONG_FUNCTION)
        write(root / "b.py", "x = 1\n")
        cold = scan([root], jobs=1, cache_dir=cache)
        assert len(list(cache.iterdir())) == 1
        real = measure_module.measure_source

        def refuse(*args: object) -> object:
            raise AssertionError("a warm scan parsed a file")

        monkeypatch.setattr(measure_module, "measure_source", refuse)
        os.utime(root / "a.py", (0, 1))  # stat changed, content not: hash decides
        warm = scan([root], jobs=1, cache_dir=cache)
        assert warm.findings == cold.findings and warm.lines == cold.lines
        monkeypatch.setattr(measure_module, "measure_source", real)
        write(root / "b.py", LONG_FUNCTION)
        edited = scan([root], jobs=1, cache_dir=cache)
        assert sorted(f.path for f in edited.findings) == ["a.py", "b.py"]

    def test_cache_is_dropped_when_the_rules_change(self, tmp_path: Path) -> None:
        write(tmp_path / "repo" / "a.py", LONG_FUNCTION)
        scan([tmp_path / "repo"], jobs=1, cache_dir=tmp_path / "cache")
        relaxed = rules_from_mapping({"rules": {"function-lines": {"limit": 100}}}, "t")
        assert (
            scan([tmp_path / "repo"], relaxed, jobs=1, cache_dir=tmp_path / "cache").findings == []
        )

    def test_corrupt_cache_is_ignored(self, tmp_path: Path) -> None:
        write(tmp_path / "repo" / "a.py", LONG_FUNCTION)
        scan([tmp_path / "repo"], jobs=1, cache_dir=tmp_path / "cache")
        for path in (tmp_path / "cache").iterdir():
            path.write_text("[not, json")
        assert len(scan([tmp_path / "repo"], jobs=1, cache_dir=tmp_path / "cache").findings) == 1

    def test_a_new_scanner_version_reparses(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        write(tmp_path / "repo" / "a.py", LONG_FUNCTION)
        scan([tmp_path / "repo"], jobs=1, cache_dir=tmp_path / "cache")
        monkeypatch.setattr(cache_module, "SCANNER_VERSION", "next")
        again = scan([tmp_path / "repo"], jobs=1, cache_dir=tmp_path / "cache")
        assert again.cached_files == 0 and len(again.findings) == 1

    def test_parallel_scan_equals_serial_scan(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(scanner, "IN_PROCESS_BYTES", 0)
        for index in range(40):
            write(tmp_path / f"m{index:02}.py", LONG_FUNCTION * (index % 3 + 1) + "y = 2\n" * 600)
        write(tmp_path / "broken.py", "def (:\n")
        serial = scan([tmp_path], jobs=1)
        parallel = scan([tmp_path], jobs=2)
        assert parallel.findings == serial.findings and parallel.lines == serial.lines
        assert (
            len(serial.findings) == 120
        )  # 40 critical file-lines, 79 function-lines, 1 parse-error
        assert len({f.fingerprint for f in serial.findings}) == 120


def test_missing_root_is_bad_input(tmp_path: Path) -> None:
    from swarmops.errors import NotFound

    with pytest.raises(NotFound, match="no such file"):
        scan([tmp_path / "nope"], jobs=1)


def test_files_given_as_roots_are_named_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As pre-commit passes them: the same paths a baseline of the whole tree records."""
    write(tmp_path / "pkg" / "mod.py", LONG_FUNCTION)
    monkeypatch.chdir(tmp_path)
    whole = scan([Path(".")], jobs=1)
    named = scan([Path("pkg/mod.py")], jobs=1)
    assert [f.path for f in named.findings] == [f.path for f in whole.findings] == ["pkg/mod.py"]
    assert named.findings[0].fingerprint == whole.findings[0].fingerprint
