"""Size metrics: radon's raw metrics (LOC, LLOC, SLOC, comments, blank lines) and a token count.

The figures follow the definitions of `radon.raw.analyze` exactly (tests compare the two on real
files), but come from one pass of the standard tokenizer. radon re-tokenizes a growing buffer for
every line of a multi-line statement, which is cubic in the statement's length: a 4,000-line list
literal takes minutes, so a large data file would stall the whole analysis.
"""

from __future__ import annotations

import io
import tokenize

from evaluator.analysis.analysis_types import SizeMetrics

_LAYOUT = frozenset({tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER})
_NOT_IN_GROUP = frozenset({tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER})
_LINE_ENDS = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER})
_NOT_LOGICAL = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE})


def size_metrics(source: str) -> SizeMetrics:
    """Size of `source`; raises tokenize.TokenError or SyntaxError on text that does not tokenize."""
    lines = io.StringIO(source).readlines()
    filled = [0]  # filled[r]: non-blank lines among the first r
    for line in lines:
        filled.append(filled[-1] + (1 if line.strip() else 0))
    counts = {"lloc": 0, "sloc": 0, "comments": 0, "single_comments": 0, "multi": 0, "tokens": 0}
    group: _Group | None = None  # the statement, comment-only line or blank line being read
    for kind, string, start, end, _ in tokenize.generate_tokens(io.StringIO(source).readline):
        if kind == tokenize.COMMENT:
            counts["comments"] += 1
        elif kind not in _LAYOUT:
            counts["tokens"] += 1
        if kind in _NOT_IN_GROUP:
            continue
        if group is None:
            group = _Group(kind, start[0], end[0])
        else:
            group.add(kind, string)
        # A statement ends at NEWLINE; an NL ends only a blank or comment-only line (inside
        # brackets it is a line break within the statement).
        if kind == tokenize.NEWLINE or (kind == tokenize.NL and group.first_kind in (tokenize.NL, tokenize.COMMENT)):
            group.count(end[0], filled, counts)
            group = None
    if group is not None:  # a last statement without a trailing newline
        group.count(group.first_end_row, filled, counts)
    return SizeMetrics(
        loc=counts["sloc"] + (len(lines) - filled[-1]) + counts["multi"] + counts["single_comments"],
        lloc=counts["lloc"], sloc=counts["sloc"], comments=counts["comments"],
        single_comments=counts["single_comments"], multi=counts["multi"], blank=len(lines) - filled[-1],
        tokens=counts["tokens"],
    )


class _Group:
    """One statement as radon sees it, classified token by token without keeping the tokens."""

    def __init__(self, kind: int, start_row: int, end_row: int) -> None:
        self.first_kind, self.start_row, self.first_end_row = kind, start_row, end_row
        self.alone = True   # nothing but line ends after the first token
        self.lloc = 0
        # radon's `_logical` on the current ';'-separated part: its tokens other than comments
        # and line ends, and the position of its last ':'
        self.part_length = 0 if kind in _NOT_LOGICAL else 1
        self.part_colon = -1

    def add(self, kind: int, string: str) -> None:
        if kind not in _LINE_ENDS:
            self.alone = False
        if kind == tokenize.OP and string == ";":
            self.lloc += self._part_lloc(last=False)
            self.part_length, self.part_colon = 0, -1
        elif kind not in _NOT_LOGICAL:
            if kind == tokenize.OP and string == ":":
                self.part_colon = self.part_length
            self.part_length += 1

    def _part_lloc(self, last: bool) -> int:
        # radon tokenizes each statement alone, so its last part ends with an ENDMARKER token,
        # which shifts where a final ':' sits; the quirk is kept to give radon's figures.
        length = self.part_length + (1 if last else 0)
        if self.part_colon >= 0:
            return 2 - (self.part_colon == length - 2)
        return 1 if self.part_length else 0

    def count(self, end_row: int, filled: list[int], counts: dict[str, int]) -> None:
        if self.first_kind == tokenize.NL:
            return  # a blank line, counted from the lines themselves
        non_blank = filled[end_row] - filled[self.start_row - 1]
        if self.first_kind == tokenize.COMMENT and self.alone:
            counts["single_comments"] += 1
        elif self.first_kind == tokenize.STRING and self.alone:
            if self.start_row == self.first_end_row:
                counts["single_comments"] += 1
            else:
                counts["multi"] += non_blank
        else:
            counts["sloc"] += non_blank
        counts["lloc"] += self.lloc + self._part_lloc(last=True)
