"""The V2 rule registry: every rule's id, title and help, and the severities."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    minor = "minor"
    major = "major"
    critical = "critical"

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.value]


SEVERITY_RANK = {"minor": 1, "major": 2, "critical": 3}


@dataclass(frozen=True)
class RuleInfo:
    """One rule's identity and the help text reports show."""

    id: str
    title: str
    help: str


RULES: dict[str, RuleInfo] = {
    info.id: info
    for info in (
        RuleInfo("file-lines", "File too long", "Physical lines in the file; split the module."),
        RuleInfo(
            "function-lines",
            "Function too long",
            "Lines of a def or async def (end_lineno - lineno + 1, decorators not counted).",
        ),
        RuleInfo("class-lines", "Class too long", "Lines of a class statement, nested included."),
        RuleInfo(
            "function-params",
            "Too many parameters",
            "Positional-only, positional and keyword-only parameters; *args, **kwargs and "
            "a method's self/cls are not counted.",
        ),
        RuleInfo("functions-per-file", "Too many functions", "Module-level def statements."),
        RuleInfo("classes-per-file", "Too many classes", "Classes defined anywhere in the file."),
        RuleInfo(
            "enums-per-file",
            "Too many enums",
            "Classes with a base whose name ends in Enum or Flag.",
        ),
        RuleInfo("parse-error", "File not scanned", "The file cannot be read or parsed."),
        RuleInfo(
            "bad-suppression",
            "Suppression without reason",
            "A '# swarmops: allow[RULE] reason' comment needs a known rule and a reason.",
        ),
    )
}
MEASURED = tuple(list(RULES)[:7])
FIXED_SEVERITY = {"parse-error": "major", "bad-suppression": "major"}
