"""Claim 8 ("dynamic graphs make debugging easier") decided from the planted-bug summary.

Until the claim protocol takes `debugging.claim_evidence` into its family (claims/claim_verdicts.py), the
verdict comes from the protocol's own rule, a paired Wilcoxon over tasks of the primary share, without
Holm across the claims, and says so. The Debugging section (report/debugging_section.py) renders it.
"""

from __future__ import annotations

from dataclasses import replace

from evaluator.base.stats import A_HIGHER, B_HIGHER, paired_comparison
from evaluator.claims.number_words import fmt_num, fmt_p
from evaluator.claims.report_model import Claim, Report
from evaluator.debugging.claim_evidence import PRIMARY, SECONDARIES, claim8_evidence
from evaluator.debugging.debug_summary import DebugSummary

CLAIM = "Dynamic graphs make debugging easier"


def _name(report: Report, key: str) -> str:
    return report.display_names.get(key, key)


def claim8(report: Report, summary: DebugSummary, a_key: str = "torch", b_key: str = "tensorflow", alpha: float = 0.05) -> Claim:
    """Claim 8 under the claim rule: a paired Wilcoxon over tasks of the primary share (higher: easier)."""
    evidence = claim8_evidence(summary.pairs, a_key, b_key)
    A, B = _name(report, a_key), _name(report, b_key)
    decided_by = (f"planted bugs (easeval debug): per task, the {PRIMARY} for {A} against {B}; paired Wilcoxon over "
                  f"tasks; supported when {A}'s share is significantly higher (p < {alpha}, before Holm across claims)")
    if len(evidence.tasks) < 2:
        return Claim(8, CLAIM, decided_by, "not measured", ("Fewer than two tasks have a decided pair of mutants.",))
    a, b = evidence.primary_pairs()
    result = paired_comparison(a, b, alpha=alpha)
    verdict = {A_HIGHER: "supported", B_HIGHER: "contradicted"}.get(result.verdict, "inconclusive")
    lines = [f"{len(a)} tasks, {sum(t.pairs for t in evidence.tasks)} decided pairs ({evidence.undecided_pairs} pairs left out: "
             f"a side invalid, glue, skipped or not run); mean per-task share loud and localised: {A} {sum(a) / len(a):.2f}, "
             f"{B} {sum(b) / len(b):.2f}; Wilcoxon p = {fmt_p(result.pvalue)} ({result.method}, before Holm across claims), "
             f"rank-biserial r = {fmt_num(result.rank_biserial)}, {result.n_nonzero} tasks with a difference"
             + (f"; {result.note}" if result.note else "")]
    for name in SECONDARIES:
        values = [t.secondaries[name] for t in evidence.tasks]
        a_vals = [v[0] for v in values if v[0] is not None]
        b_vals = [v[1] for v in values if v[1] is not None]
        if a_vals and b_vals:
            lines.append(f"secondary, {name}: mean over tasks {A} {sum(a_vals) / len(a_vals):.2f}, {B} {sum(b_vals) / len(b_vals):.2f}")
    return Claim(8, CLAIM, decided_by, verdict, tuple(lines))


def with_debugging(report: Report, summary: DebugSummary | None) -> Report:
    """The report with its debugging evidence, and claim 8's verdict where the claims left it unmeasured."""
    if summary is None:
        return report
    claims = tuple(claim8(report, summary) if c.number == 8 and c.verdict == "not measured" else c for c in report.claims)
    return replace(report, debugging=summary, claims=claims)
