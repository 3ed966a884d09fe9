"""Size and complexity metrics: golden values counted by hand, and agreement with radon itself."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from radon.metrics import h_visit, mi_visit
from radon.raw import analyze as radon_raw

from evaluator.analysis.complexity import complexity_metrics
from evaluator.analysis.analysis_types import SizeMetrics
from evaluator.analysis.size import size_metrics

REPO = Path(__file__).resolve().parents[1]

SIZE_SNIPPET = textwrap.dedent('''\
    """Module docstring
    spanning two lines."""
    import os  # trailing comment

    # a comment line


    def f(x):
        if x: return 1
        y = {1: 2}; z = 3
        return y
    ''')

COMPLEXITY_SNIPPET = textwrap.dedent('''\
    def simple():
        return 1


    def branchy(items, flag):
        total = 0
        for item in items:
            if item > 0 and flag:
                total += item
            elif item < 0:
                total -= item
        while total > 10:
            total //= 2
        try:
            check(total)
        except ValueError:
            pass
        except KeyError:
            pass
        return [t for t in range(total) if t % 2]


    class Model:
        def method(self, x):
            return x if x else -x
    ''')

CLOSURE_SNIPPET = textwrap.dedent('''\
    def outer():
        def inner(x):
            if x:
                return 1
            return 2
        return inner
    ''')


def test_size_of_a_snippet_counted_by_hand():
    size = size_metrics(SIZE_SNIPPET)
    # code lines 3, 8-11; blank 4, 6, 7; docstring lines 1-2; comment line 5
    assert (size.loc, size.sloc, size.blank, size.multi, size.single_comments, size.comments) == (11, 5, 3, 2, 1, 2)
    # docstring 1, import 1, def 1, `if x: return 1` 2, `y = {1: 2}; z = 3` 2 + 1 (radon counts a
    # line whose last ':' is not its last token as two), return 1
    assert size.lloc == 9
    # STRING; import os; def f ( x ) :; if x : return 1; y = { 1 : 2 } ; z = 3; return y
    assert size.tokens == 1 + 2 + 6 + 5 + 11 + 2


def test_size_of_empty_and_comment_only_sources():
    assert size_metrics("") == SizeMetrics(loc=0, lloc=0, sloc=0, comments=0, single_comments=0, multi=0, blank=0, tokens=0)
    assert (size_metrics("\n\n").loc, size_metrics("\n\n").blank) == (2, 2)
    only_comment = size_metrics("# nothing here\n")
    assert (only_comment.loc, only_comment.sloc, only_comment.lloc, only_comment.single_comments) == (1, 0, 0, 1)


def test_comments_inside_brackets_are_code_lines_as_in_radon():
    size = size_metrics("x = [\n    # first\n    1,\n\n]\n")
    assert (size.sloc, size.blank, size.comments, size.single_comments, size.lloc) == (4, 1, 1, 0, 1)


def _radon_tuple(source: str) -> tuple:
    m = size_metrics(source)
    return (m.loc, m.lloc, m.sloc, m.comments, m.multi, m.blank, m.single_comments)


@pytest.mark.parametrize("path", sorted(REPO.glob("tasks/*/*.py")) + sorted(REPO.glob("evaluator/**/*.py")),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_size_agrees_with_radon_raw_on_real_files(path):
    source = path.read_text(encoding="utf-8")
    assert _radon_tuple(source) == tuple(radon_raw(source))


@pytest.mark.parametrize("source", [SIZE_SNIPPET, COMPLEXITY_SNIPPET, CLOSURE_SNIPPET,
                                    "if a: b; c\nx = lambda: 1\nd = {\n  'k': 1,  # c\n}\n",
                                    "def f():\n    '''doc'''\n    s = '''a\n\nb'''\n    return s\n",
                                    "x = 1 + \\\n    2\nprint(x)"])
def test_size_agrees_with_radon_raw_on_quirky_snippets(source):
    assert _radon_tuple(source) == tuple(radon_raw(source))


def test_a_long_statement_is_linear_not_cubic():
    # radon.raw.analyze needs minutes for this (it re-tokenizes the statement once per line)
    source = "data = [\n" + "".join(f"    {i},\n" for i in range(20000)) + "]\n"
    size = size_metrics(source)
    assert (size.loc, size.sloc, size.lloc, size.tokens) == (20002, 20002, 1, 3 + 2 * 20000 + 1)


def test_cyclomatic_complexity_counted_by_hand():
    metrics = complexity_metrics(COMPLEXITY_SNIPPET)
    # simple 1; branchy 1 + for + if + `and` + elif + while + 2 handlers + comprehension with an if (2) = 10;
    # method 1 + conditional expression = 2
    assert (metrics.functions, metrics.cc_sum, metrics.cc_max) == (3, 13, 10)
    assert metrics.max_nesting_depth == 3  # def > for > if > statement


def test_closures_are_functions_of_their_own():
    metrics = complexity_metrics(CLOSURE_SNIPPET)
    assert (metrics.functions, metrics.cc_sum, metrics.cc_max, metrics.max_nesting_depth) == (2, 3, 2, 3)


def test_nesting_depth_counts_blocks_not_clauses():
    source = textwrap.dedent('''\
        x = 1
        if x:
            pass
        elif x > 1:
            pass
        else:
            try:
                pass
            except E:
                with a: pass
        ''')
    # `else` is as deep as its `if` (0): the try sits in its body (1), the with in the except's
    # body (2), and the with's one-line body at 3.
    assert complexity_metrics(source).max_nesting_depth == 3
    assert complexity_metrics("x = 1\n").max_nesting_depth == 0
    assert complexity_metrics("").functions == 0


@pytest.mark.parametrize("source", [COMPLEXITY_SNIPPET, CLOSURE_SNIPPET, SIZE_SNIPPET]
                         + [p.read_text() for p in sorted(REPO.glob("tasks/*/*_impl.py"))])
def test_halstead_and_maintainability_index_are_radons(source):
    metrics = complexity_metrics(source)
    halstead = h_visit(source).total
    assert metrics.halstead_volume == pytest.approx(halstead.volume)
    assert metrics.halstead_difficulty == pytest.approx(halstead.difficulty)
    assert metrics.halstead_effort == pytest.approx(halstead.effort)
    assert metrics.maintainability_index == pytest.approx(mi_visit(source, True))
