"""Bounding what measuring one file may cost: not only its bytes, its tokens.

A syntax tree costs about 500 bytes of memory per token, whatever the lines: a 1.9 MB
file holding one long list literal took about 950 MB to parse. So a file with more
tokens than ``max_file_tokens`` is reported as too complex to measure and never
parsed. Counting stays cheap: a file with fewer bytes than the budget cannot exceed
it; else a C-speed pass over-estimates the count (every word, and every other
non-blank byte, strings and comments included); only a file over that estimate is
tokenized exactly, and the tokenizer stops as soon as the budget is passed.
"""

from __future__ import annotations

import io
import tokenize
from typing import NamedTuple

DEFAULT_MAX_TOKENS = 200_000


def _byte_class(byte: int) -> int:
    """w for a word byte, s for a blank one, p for any other (punctuation)."""
    char = chr(byte)
    if char.isascii() and (char.isalnum() or char == "_"):
        return ord("w")
    return ord("s") if char in " \t\n\r\f\v" else ord("p")


_CLASSES = bytes(_byte_class(byte) for byte in range(256))
# Tokens that are layout, not syntax: the tree holds no node for them.
_LAYOUT = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}


class Budget(NamedTuple):
    """What one file may cost: its bytes read, its syntax tokens parsed."""

    bytes: int
    tokens: int = DEFAULT_MAX_TOKENS


def over_budget(data: bytes, budget: int) -> bool:
    """Whether the source ``data`` has more than ``budget`` syntax tokens."""
    if len(data) <= budget or _guess(data) <= budget:
        return False
    return _count_tokens(data, budget) > budget


def _guess(data: bytes) -> int:
    """At least the syntax tokens of ``data``: each punctuation byte and each run of word
    bytes (one translated copy of the data, no object per token)."""
    classes = data.translate(_CLASSES)
    runs = classes.count(b"sw") + classes.count(b"pw") + classes.startswith(b"w")
    return classes.count(b"p") + runs


def _count_tokens(data: bytes, budget: int) -> int:
    """Syntax tokens of ``data``, counted up to ``budget + 1``; a tokenizer error ends the
    count (the parser then reports the file's own syntax error)."""
    count = 0
    try:
        for token in tokenize.tokenize(io.BytesIO(data).readline):
            if token.type not in _LAYOUT:
                count += 1
                if count > budget:
                    break
    except (tokenize.TokenError, SyntaxError):
        return count
    return count
