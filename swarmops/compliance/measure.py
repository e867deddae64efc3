"""The per-file work, run inside the worker processes: read once, parse, one walk.

Hot path. The walk visits only statement lists (a def or class can only be a
statement), so it touches a small fraction of the tree's nodes; results are
plain tuples ``(rule, severity, line, symbol, value, limit, message)`` so they
pickle small.

Counting, exactly: a def or class is measured as ``end_lineno - lineno + 1`` of its
node wherever it is (nested in functions, classes, if/try/with/match blocks);
functions-per-file counts the def statements that are direct children of the
module body; a method (a def whose nearest enclosing scope is a class body, also
inside an if/try block there) does not count a first ``self``/``cls`` parameter.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import io
import re
import tokenize
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

from swarmops.compliance.budget import DEFAULT_MAX_TOKENS, Budget, over_budget
from swarmops.compliance.fileio import read_regular
from swarmops.compliance.registry import MEASURED

if TYPE_CHECKING:
    from swarmops.compliance.rules import Profile

RawFinding = tuple[str, str, int, "str | None", int, int, str]
# (index, digest, lines, findings) for one file.
FileResult = tuple[int, str, int, list[RawFinding]]

_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
_CONTAINERS: dict[type, tuple[str, ...]] = {
    ast.If: ("body", "orelse"),
    ast.For: ("body", "orelse"),
    ast.AsyncFor: ("body", "orelse"),
    ast.While: ("body", "orelse"),
    ast.With: ("body",),
    ast.AsyncWith: ("body",),
    ast.Try: ("body", "handlers", "orelse", "finalbody"),
    ast.ExceptHandler: ("body",),
    ast.Match: ("cases",),
    ast.match_case: ("body",),
}
if hasattr(ast, "TryStar"):
    _CONTAINERS[ast.TryStar] = _CONTAINERS[ast.Try]
# The reason runs to the end of the comment or to a further "#" comment.
_SUPPRESS = re.compile(r"#\s*swarmops:\s*allow\[([^\]]*)\]([^#]*)")
_INDEX = {rule: position for position, rule in enumerate(MEASURED)}
FILE_RULES = ("file-lines", "functions-per-file", "classes-per-file", "enums-per-file")


def scan_chunk(
    chunk: list[tuple[int, str, int, str]], profiles: list[Profile], budget: Budget
) -> list:
    """Measure every ``(index, path, profile index, previous digest)`` of a chunk.

    A file whose digest equals its previous one comes back with lines = -1: the
    caller's cache already holds its result, so it is not parsed.
    """
    collecting = gc.isenabled()
    gc.disable()  # syntax trees hold no cycles: refcounting frees them, GC passes only cost
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [measure_path(item, profiles[item[2]], budget) for item in chunk]
    finally:
        if collecting:
            gc.enable()


def measure_path(item: tuple[int, str, int, str], profile: Profile, budget: Budget) -> FileResult:
    """Read one regular file (never more than the budget's bytes) and measure it."""
    index, path, _, previous = item
    cap = budget.bytes
    try:
        data, size = read_regular(path, cap)
    except OSError as exc:
        return index, "", 0, [_parse_error(f"cannot read: {exc.strerror or exc}", 1)]
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if digest == previous:
        return index, digest, -1, []
    if len(data) > cap:
        return index, digest, 0, [_parse_error(f"larger than {cap} bytes", 1, size, cap)]
    return (index, digest, *measure_source(data, profile, budget.tokens))


def count_lines(data: bytes) -> int:
    """Physical lines; a last line without a newline counts, \\r\\n and \\r end lines."""
    lines = data.count(b"\n")
    if b"\r" in data:
        lines = len(re.findall(rb"\r\n|\r|\n", data))
    return lines + (1 if data and data[-1:] not in (b"\n", b"\r") else 0)


def measure_source(
    data: bytes, profile: Profile, max_tokens: int = DEFAULT_MAX_TOKENS
) -> tuple[int, list[RawFinding]]:
    """Line count and findings of one file's bytes (parse problems become findings)."""
    lines = count_lines(data)
    if b"\0" in data:
        return lines, [_parse_error("contains NUL bytes", 1)]
    if over_budget(data, max_tokens):
        why = f"too complex to measure: more than {max_tokens} tokens"
        return lines, [_parse_error(why, 1, 0, max_tokens)]
    try:
        tree = ast.parse(data)
    except SyntaxError as exc:
        kind = "bad encoding" if "decode" in str(exc.msg) else "syntax error"
        return lines, [_parse_error(f"{kind}: {exc.msg}", exc.lineno or 1)]
    except (ValueError, RecursionError, MemoryError) as exc:
        return lines, [_parse_error(f"cannot parse: {type(exc).__name__}", 1)]
    walker = _Walker(profile)
    walker.walk(tree.body, "", False)
    top = sum(1 for node in tree.body if isinstance(node, _FUNCS))
    for rule, value in zip(FILE_RULES, (lines, top, walker.classes, walker.enums), strict=True):
        walker.judge(rule, value, 1, None)
    found = walker.found
    if b"swarmops:" in data:
        first = tree.body[0].lineno if tree.body else lines + 1
        found = _apply_suppressions(data, found, first)
    return lines, found


class _Walker:
    """One pass over a module's statement lists, judging every def and class."""

    __slots__ = ("classes", "enums", "found", "profile")

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.found: list[RawFinding] = []
        self.classes = 0
        self.enums = 0

    def walk(self, body: list, prefix: str, in_class: bool) -> None:
        """Judge every def and class in a statement list, recursing into nested bodies."""
        judge = self.judge
        for node in body:
            kind = type(node)
            if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                name, line = prefix + node.name, node.lineno
                judge("function-lines", node.end_lineno - line + 1, line, name)
                judge("function-params", _params(node.args, in_class), line, name)
                self.walk(node.body, name + ".", False)
            elif kind is ast.ClassDef:
                name, line = prefix + node.name, node.lineno
                self.classes += 1
                self.enums += any(_is_enum_base(base) for base in node.bases)
                judge("class-lines", node.end_lineno - line + 1, line, name)
                self.walk(node.body, name + ".", True)
            elif kind in _CONTAINERS:
                for field in _CONTAINERS[kind]:
                    self.walk(getattr(node, field), prefix, in_class)

    def judge(self, rule: str, value: int, line: int, symbol: str | None) -> None:
        limit, severity, critical = self.profile[_INDEX[rule]]
        if limit is not None and value > limit:
            if critical is not None and value > critical:
                severity = "critical"
            self.found.append((rule, severity, line, symbol, value, limit, ""))


def _params(args: ast.arguments, method: bool) -> int:
    positional = args.posonlyargs or args.args
    count = len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs)
    return count - 1 if method and positional and positional[0].arg in ("self", "cls") else count


def _is_enum_base(base: ast.expr) -> bool:
    name = base.id if type(base) is ast.Name else getattr(base, "attr", "")
    return name.endswith(("Enum", "Flag"))


def _parse_error(message: str, line: int, value: int = 0, limit: int = 0) -> RawFinding:
    return ("parse-error", "major", line, None, value, limit, message)


def _apply_suppressions(data: bytes, found: list[RawFinding], first: int) -> list[RawFinding]:
    """Drop findings allowed on their line; a suppression without a reason is a finding."""
    allowed: dict[int, set[str]] = {}
    bad: list[RawFinding] = []
    for number, comment in _comments(data):
        match = _SUPPRESS.search(comment)
        if match is None:
            continue
        rules = {rule.strip() for rule in match.group(1).split(",") if rule.strip()}
        unknown = sorted(rules - set(MEASURED))
        if not match.group(2).strip() or unknown or not rules:
            why = f"unknown rule {', '.join(unknown)}" if unknown else "no reason given"
            bad.append(("bad-suppression", "major", number, None, 0, 0, why))
        allowed[number] = rules
    header = set().union(*(r for n, r in allowed.items() if n < first or n == 1))
    kept = [
        f
        for f in found
        if not (f[0] in header if f[0] in FILE_RULES else f[0] in allowed.get(f[2], ()))
    ]
    return kept + bad


def _comments(data: bytes) -> Iterator[tuple[int, str]]:
    """(line, text) of every real comment (not text inside strings) naming swarmops."""
    tokens = tokenize.tokenize(io.BytesIO(data).readline)
    try:
        for token in tokens:
            if token.type == tokenize.COMMENT and "swarmops:" in token.string:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError):
        return  # ast accepted the file; a tokenizer disagreement only ends the comment search
