"""Size metrics: radon's raw metrics (LOC, LLOC, SLOC, comments, blank lines) and a token count.

The figures follow the definitions of `radon.raw.analyze` exactly (tests compare the two on real
files), but come from one pass of the standard tokenizer. radon re-tokenizes a growing buffer for
every line of a multi-line statement, which is cubic in the statement's length: a 4,000-line list
literal takes minutes, so a large data file would stall the whole analysis.
"""

from __future__ import annotations

import io
import tokenize

from evaluator.analysis.model import SizeMetrics

_LAYOUT = frozenset({tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER})
_NOT_IN_GROUP = frozenset({tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER})
_LINE_ENDS = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER})
# Stands for the ENDMARKER that radon sees at the end of every separately tokenized statement.
_END = (tokenize.ENDMARKER, "")


def size_metrics(source: str) -> SizeMetrics:
    """Size of `source`; raises tokenize.TokenError or SyntaxError on text that does not tokenize."""
    lines = io.StringIO(source).readlines()
    blank = sum(1 for line in lines if not line.strip())
    counts = {"lloc": 0, "sloc": 0, "comments": 0, "single_comments": 0, "multi": 0, "tokens": 0}
    group: list[tuple[int, str, int, int]] = []  # (type, string, start row, end row) of one statement
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        kind = token.type
        if kind == tokenize.COMMENT:
            counts["comments"] += 1
        elif kind not in _LAYOUT:
            counts["tokens"] += 1
        if kind in _NOT_IN_GROUP:
            continue
        group.append((kind, token.string, token.start[0], token.end[0]))
        # A statement ends at NEWLINE; an NL ends only a blank or comment-only line (inside
        # brackets it is a line break within the statement).
        if kind == tokenize.NEWLINE or (kind == tokenize.NL and (len(group) == 1 or group[0][0] == tokenize.COMMENT)):
            _count_group(group, lines, counts)
            group = []
    if group:  # a last statement without a trailing newline
        _count_group(group, lines, counts)
    return SizeMetrics(
        loc=counts["sloc"] + blank + counts["multi"] + counts["single_comments"], lloc=counts["lloc"],
        sloc=counts["sloc"], comments=counts["comments"], single_comments=counts["single_comments"],
        multi=counts["multi"], blank=blank, tokens=counts["tokens"],
    )


def _count_group(group: list[tuple[int, str, int, int]], lines: list[str], counts: dict[str, int]) -> None:
    """Classify one statement (or one comment-only or blank line) the way radon does."""
    first_kind = group[0][0]
    if first_kind == tokenize.NL:
        return  # a blank line, already counted
    rows = range(group[0][2], group[-1][3] + 1)
    alone = all(t[0] in _LINE_ENDS for t in group[1:])
    if first_kind == tokenize.COMMENT and alone:
        counts["single_comments"] += 1
    elif first_kind == tokenize.STRING and alone:
        if group[0][2] == group[0][3]:
            counts["single_comments"] += 1
        else:
            counts["multi"] += sum(1 for row in rows if lines[row - 1].strip())
    else:
        counts["sloc"] += sum(1 for row in rows if lines[row - 1].strip())
    counts["lloc"] += _logical_lines(group)


def _logical_lines(group: list[tuple[int, str, int, int]]) -> int:
    """radon's `_logical`: statements split on ';', a ':' not at the end adds a second line."""
    pairs = [(t[0], t[1]) for t in group] + [_END]
    subs: list[list[tuple[int, str]]] = [[]]
    for pair in pairs:
        if pair == (tokenize.OP, ";"):
            subs.append([])
        else:
            subs[-1].append(pair)
    total = 0
    for sub in subs:
        processed = [p for p in sub if p[0] not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE)]
        colons = [i for i, p in enumerate(processed) if p == (tokenize.OP, ":")]
        if colons:
            total += 2 - (colons[-1] == len(processed) - 2)
        elif any(p[0] != tokenize.ENDMARKER for p in processed):
            total += 1
    return total
