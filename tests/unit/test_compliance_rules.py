"""Each rule's counting, on the fixture files and on crafted sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from swarmops.compliance import RuleSet, ScanReport, load_rules, resolve_rules, scan
from swarmops.compliance.measure import count_lines, measure_source
from swarmops.compliance.rules import MEASURED
from swarmops.compliance.sources import rules_from_mapping
from swarmops.errors import InvalidDefinition
from swarmops.settings import load_settings

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "compliance"
EXPECT = re.compile(r"#\s*expect:\s*([a-z\-, ]+)")
DEFAULT_PROFILE = RuleSet().profile_for("module.py")


def expectations(path: Path) -> set[tuple[int, str]]:
    found = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            found |= {(number, rule.strip()) for rule in match.group(1).split(",")}
    return found


@pytest.fixture(scope="module")
def fixture_report() -> ScanReport:
    return scan([FIXTURES], RuleSet(), jobs=1)


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.py")), ids=lambda p: p.name)
def test_fixture_findings_match_expect_comments(fixture_report: ScanReport, path: Path) -> None:
    rel = path.relative_to(FIXTURES).as_posix()
    actual = {(f.line, f.rule) for f in fixture_report.findings if f.path == rel}
    assert actual == expectations(path)


def test_every_rule_has_a_fixture() -> None:
    covered = {rule for path in FIXTURES.rglob("*.py") for _, rule in expectations(path)}
    assert covered >= set(MEASURED) | {"bad-suppression"}


def findings(source: str, profile: tuple = DEFAULT_PROFILE) -> dict[tuple[str, str | None], int]:
    _, raw = measure_source(source.encode(), profile)
    return {(rule, symbol): value for rule, _, _, symbol, value, _, _ in raw}


def zero_limits() -> tuple:
    """Every limit 0, so every measured value shows up as a finding."""
    rules = {rule: {"limit": 0} for rule in MEASURED}
    return rules_from_mapping({"rules": rules}, "test").profile_for("m.py")


class TestCounting:
    """Exact counting on crafted sources."""

    def test_qualified_names_and_exact_values(self) -> None:
        source = (
            "class Outer:\n"
            "    class Inner:\n"
            "        def method(self, a, /, b, *args, c, **kw):\n"
            "            def local(cls, x):\n"
            "                pass\n"
            "@decorator\n"
            "async def func(a=1, *, b):\n"
            "    return a\n"
        )
        measured = findings(source, zero_limits())
        assert measured[("class-lines", "Outer")] == 5
        assert measured[("class-lines", "Outer.Inner")] == 4
        assert measured[("function-lines", "Outer.Inner.method")] == 3
        assert measured[("function-params", "Outer.Inner.method")] == 3
        assert measured[("function-params", "Outer.Inner.method.local")] == 2
        assert measured[("function-lines", "func")] == 2
        assert measured[("function-params", "func")] == 2
        assert measured[("functions-per-file", None)] == 1
        assert measured[("classes-per-file", None)] == 2

    @pytest.mark.parametrize(
        "base",
        [
            "Enum",
            "enum.Enum",
            "IntEnum",
            "enum.IntEnum",
            "StrEnum",
            "Flag",
            "enum.IntFlag",
            "IntFlag",
            "ReprEnum",
            "x.y.MyEnum",
        ],
    )
    def test_enum_base_spellings(self, base: str) -> None:
        source = "".join(f"class E{i}({base}):\n    A = 1\n" for i in range(4))
        assert findings(source)[("enums-per-file", None)] == 4

    @pytest.mark.parametrize("base", ["EnumMeta", "Enumerate", "object", "enum.auto", "Generic[T]"])
    def test_non_enum_bases(self, base: str) -> None:
        source = "".join(f"class E{i}({base}):\n    A = 1\n" for i in range(4))
        assert ("enums-per-file", None) not in findings(source)

    @pytest.mark.parametrize(
        ("data", "lines"),
        [(b"", 0), (b"a\n", 1), (b"a", 1), (b"a\nb", 2), (b"a\r\nb\r\n", 2), (b"a\rb\r", 2)],
    )
    def test_physical_lines(self, data: bytes, lines: int) -> None:
        assert count_lines(data) == lines

    def test_critical_above_twice_the_limit(self) -> None:
        long_body = "".join("    x = 1\n" for _ in range(60))
        _, raw = measure_source(f"def f():\n{long_body}".encode(), DEFAULT_PROFILE)
        assert [(r[0], r[1], r[4], r[5]) for r in raw] == [("function-lines", "critical", 61, 30)]


class TestRuleSources:
    """Where rules come from, and how gui globs and overrides change them."""

    def test_the_config_file_is_the_defaults_plus_overrides_with_reasons(self) -> None:
        project = load_rules(REPO / "config" / "v2_rules.yaml")
        assert project.model_copy(update={"overrides": []}) == RuleSet()
        assert all(override.reason.strip() for override in project.overrides)

    def test_gui_globs_and_overrides_change_the_limits(self) -> None:
        rules = rules_from_mapping(
            {
                "overrides": [
                    {
                        "paths": ["legacy/**"],
                        "rules": {"function-lines": {"limit": 50}},
                        "reason": "generated",
                    }
                ]
            },
            "t",
        )
        index = MEASURED.index("function-lines")
        assert rules.profile_for("legacy/old.py")[index] == (50, "major", 100)
        assert rules.profile_for("new.py")[index] == (30, "major", 60)
        assert rules.profile_for("app/gui/window.py")[0] == (600, "major", 900)

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"rules": {"no-such": {"limit": 1}}}, "unknown rule"),
            ({"rules": {"file-lines": {"limit": -1}}}, "rules.file-lines.limit"),
            ({"surprise": 1}, "surprise"),
            ([1, 2], "must be a mapping"),
            (
                {"overrides": [{"paths": ["x/**"], "rules": {"file-lines": {"limit": 9}}}]},
                "overrides.0.reason",
            ),
        ],
    )
    def test_bad_rules_are_one_clear_error(self, data: object, message: str) -> None:
        with pytest.raises(InvalidDefinition, match=message):
            rules_from_mapping(data, "rules.yaml")

    def test_rules_source_precedence(self, tmp_path: Path) -> None:
        explicit = tmp_path / "explicit.yaml"
        explicit.write_text(yaml.safe_dump({"rules": {"file-lines": {"limit": 1}}}))
        (tmp_path / "pyproject.toml").write_text(
            "[tool.swarmops.compliance.rules.file-lines]\nlimit = 2\n"
        )
        config = tmp_path / "swarmops.yaml"
        (tmp_path / "mine.yaml").write_text(yaml.safe_dump({"rules": {"file-lines": {"limit": 3}}}))
        config.write_text(yaml.safe_dump({"compliance": {"rules": "mine.yaml"}}))
        settings = load_settings(config, environ={})
        no_config = (
            load_settings(None, environ={}) if not Path("config/swarmops.yaml").exists() else None
        )

        def limit(rules: RuleSet) -> int:
            return rules.rules["file-lines"].limit

        assert limit(resolve_rules(explicit, settings, [tmp_path])[0]) == 1
        assert limit(resolve_rules(None, settings, [tmp_path])[0]) == 3
        assert limit(resolve_rules(None, no_config, [tmp_path])[0]) == 2
        assert resolve_rules(None, None, [tmp_path / "elsewhere"]) == (
            RuleSet(),
            "built-in defaults",
        )
