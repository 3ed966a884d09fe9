"""Complexity metrics: radon's cyclomatic complexity, Halstead and maintainability index, all from
one shared `ast` tree, and the maximum nesting depth of statements from the libcst tree.
"""

from __future__ import annotations

import ast
import libcst as cst
from radon.complexity import add_inner_blocks
from radon.metrics import halstead_visitor_report, mi_compute
from radon.visitors import ComplexityVisitor, Function, HalsteadVisitor

from evaluator.analysis.analysis_types import ComplexityMetrics, SizeMetrics
from evaluator.analysis.size import size_metrics
from evaluator.analysis.statements import statements_with_depth


def complexity_metrics(source: str) -> ComplexityMetrics:
    """Complexity of `source`; raises SyntaxError if it does not parse."""
    return complexity_from_trees(ast.parse(source), cst.parse_module(source), size_metrics(source))


def complexity_from_trees(tree: ast.Module, module: cst.Module, size: SizeMetrics) -> ComplexityMetrics:
    """Complexity from already parsed trees, so that one parse per library serves every metric."""
    cc_visitor = ComplexityVisitor.from_ast(tree)
    # Closures and methods of inner classes are blocks of their own, as in `radon cc`.
    functions = [b for b in add_inner_blocks(cc_visitor.blocks) if isinstance(b, Function)]
    halstead = halstead_visitor_report(HalsteadVisitor.from_ast(tree))
    # The same inputs as radon.metrics.mi_visit(source, multi=True), without parsing again.
    comment_percent = (size.comments + size.multi) / size.sloc * 100 if size.sloc else 0
    mi = mi_compute(halstead.volume, cc_visitor.total_complexity, size.lloc, comment_percent)
    return ComplexityMetrics(
        functions=len(functions),
        cc_sum=sum(f.complexity for f in functions),
        cc_max=max((f.complexity for f in functions), default=0),
        halstead_volume=float(halstead.volume),
        halstead_difficulty=float(halstead.difficulty),
        halstead_effort=float(halstead.effort),
        maintainability_index=mi,
        max_nesting_depth=max_nesting_depth(module),
    )


def max_nesting_depth(module: cst.Module) -> int:
    """Largest number of blocks (def, class, if, for, while, with, try, match bodies) around a statement.

    An `elif` or `else` block is as deep as its `if`; only statements are walked, not expressions,
    so this costs little next to the parse.
    """
    return max((depth for _, depth in statements_with_depth(module)), default=0)
