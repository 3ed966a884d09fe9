"""The essay's assertions that no protocol claim decides (../shared/ESSAY_CLAIMS.md rows 3, 6, 11-14).

The report covers every assertion of the essay: the eight claims of claims_protocol.toml decide
theirs; the rows below are described, never tested. Those with a construct in code get claim 1's
primary metric (size, as written and like for like) on the tasks their tag marks, with the exact
interval at the confidence its order statistics achieve, like the per-category view; the others say
why they are not measured. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from evaluator.claims.claim_verdicts import grouped_rows
from evaluator.frameworks import ordered_frameworks
from evaluator.claims.report_model import AssertionRow, CategoryRow, StaticRecord, TaskSummary
from evaluator.claims.claim_protocol import Protocol


@dataclass(frozen=True)
class EssayAssertion:
    number: int            # the row of ESSAY_CLAIMS.md
    statement: str
    tag: str               # tasks with this tag carry the evidence; "" = nothing measurable from code
    construct: str         # what is described, or why nothing is


ASSERTIONS = (
    EssayAssertion(3, "Dynamic graphs allow standard Python control flow", "dynamic-graphs",
                   "Code size of tasks with data-dependent Python control flow (their compiled variants' correctness "
                   "is in the correctness table)."),
    EssayAssertion(6, "PyTorch gives fine-grained control over models and training", "fine-grained-control",
                   "Code size of custom layers, gradients, losses and training steps."),
    EssayAssertion(11, "TensorFlow scales better for distributed training", "distributed",
                   "Code size of going from one worker to two (data-parallel training, a sharded input pipeline); "
                   "scaling itself is not measured on one 2-core machine."),
    EssayAssertion(12, "Both have extensive documentation and community support", "",
                   "Described: the documentation shipped with the installed packages, for exactly the APIs the corpus's "
                   "primary implementations call (easeval docs; not in a static-only report). Websites, tutorials "
                   "and forums are not measured, and docstring conventions differ between projects "
                   "(docs/metrics.md says how each framework's sections are recognised)."),
    EssayAssertion(13, "PyTorch's ecosystem grows; TensorFlow has TFX, Serving and Lite", "",
                   "Not measurable from code: out of scope."),
    EssayAssertion(14, "Industry vs research adoption", "", "Not measurable from code: out of scope."),
)


def documentation_figures(coverage: Any, names: Mapping[str, str] | None = None) -> str:
    """Assertion 12's figures: per framework (in the adapters' order), the shares of used APIs (and of
    calls) documented."""
    if coverage is None or not coverage.frameworks:
        return ""
    names = names or {}
    parts = []
    order = ordered_frameworks(f.framework for f in coverage.frameworks)
    for f in sorted(coverage.frameworks, key=lambda f: order.index(f.framework)):
        s = f.shares
        parts.append(f"{names.get(f.framework, f.framework)}: of {s.distinct_apis} APIs used ({s.calls} calls), "
                     f"{_pct(s.with_docstring.per_api)} have a docstring ({_pct(s.with_docstring.by_calls)} of calls), "
                     f"{_pct(s.params_documented.per_api)} document every parameter, "
                     f"{_pct(s.with_example.per_api)} show an example ({_pct(s.with_example.by_calls)} of calls)")
    return "; ".join(parts) + "."


def _pct(ratio: Any) -> str:
    return "n/a" if ratio.value is None else f"{100 * ratio.value:.0f}%"


def assertion_rows(records: Sequence[StaticRecord], tasks: Sequence[TaskSummary],
                   protocol: Protocol | None = None, documentation: Any = None,
                   names: Mapping[str, str] | None = None) -> tuple[AssertionRow, ...]:
    """Every assertion of ASSERTIONS with its descriptive size comparison on the tasks its tag marks, and
    assertion 12 with the documentation figures when they were measured."""
    rows = []
    for a in ASSERTIONS:
        row = None
        if a.tag:
            grouped = grouped_rows(records, {t.task_id: a.tag for t in tasks if a.tag in t.tags}, protocol)
            row = grouped[0] if grouped else CategoryRow(a.tag, 0, None, True)
        figures = documentation_figures(documentation, names) if a.number == 12 else ""
        rows.append(AssertionRow(a.number, a.statement, a.tag, a.construct, row, figures))
    return tuple(rows)
