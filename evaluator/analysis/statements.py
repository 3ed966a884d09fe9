"""Every statement of a libcst module with its nesting depth, walking statements only (cheap)."""

from __future__ import annotations

from typing import Iterator

import libcst as cst


def statements_with_depth(module: cst.Module) -> Iterator[tuple[cst.CSTNode, int]]:
    """(statement, number of enclosing blocks) for every statement, nested ones included.

    A simple-statement line is yielded whole; the statements of a one-line body (`if x: y`) one by
    one. `elif`, `else`, `except`, `finally` and `case` clauses are as deep as their statement.
    """
    pending: list[tuple[cst.CSTNode, int]] = [(statement, 0) for statement in reversed(module.body)]
    while pending:
        node, depth = pending.pop()
        if not isinstance(node, _CLAUSES):
            yield node, depth
        for block in reversed(_blocks(node)):
            if isinstance(block, cst.BaseSuite):
                pending.extend((statement, depth + 1) for statement in reversed(block.body))
            else:
                pending.append((block, depth))


_CLAUSES = (cst.Else, cst.Finally, cst.ExceptHandler, cst.ExceptStarHandler, cst.MatchCase)


def _blocks(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The suites and clauses a compound statement or clause holds directly, in source order."""
    blocks: list[cst.CSTNode] = []
    body = getattr(node, "body", None)
    if isinstance(body, cst.BaseSuite):
        blocks.append(body)
    blocks.extend(getattr(node, "handlers", ()))
    blocks.extend(getattr(node, "cases", ()))
    for name in ("orelse", "finalbody"):
        child = getattr(node, name, None)
        if child is not None:
            blocks.append(child)
    return blocks
