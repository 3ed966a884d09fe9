"""Numbers in words: shared by the headline, the claims and the renderers."""

from __future__ import annotations

from evaluator.claims.report_model import MetricComparison
from evaluator.base.stats import A_HIGHER, B_HIGHER, INCONCLUSIVE, NO_SIGNIFICANT_DIFFERENCE


def fmt_p(p: float | None) -> str:
    if p is None:
        return "n/a"
    return f"{p:.2g}" if p >= 0.001 else f"{p:.1e}"


def fmt_num(x: float | None, digits: int = 3) -> str:
    if x is None:
        return "n/a"
    if x != 0 and (abs(x) >= 1e5 or abs(x) < 1e-3):
        return f"{x:.{digits}g}"
    return f"{x:.{digits}g}" if abs(x) < 100 else f"{x:,.0f}"


def fmt_ci(ci: tuple[float, float] | None) -> str:
    return "no CI" if ci is None else f"95% CI {fmt_num(ci[0])} to {fmt_num(ci[1])}"


def log_verdict(c: MetricComparison, alpha: float = 0.05) -> str:
    """The catalogue verdict of the log-ratio test: a_higher, b_higher, no_significant_difference or
    inconclusive (no test, or Holm within the family leaves no attainable significance)."""
    r = c.log
    if r is None or r.reason or r.n_nonzero == 0:
        return INCONCLUSIVE
    min_p = r.min_attainable_p_holm if r.min_attainable_p_holm is not None else r.min_attainable_p
    if min_p > alpha:
        return INCONCLUSIVE
    p = r.pvalue_holm if r.pvalue_holm is not None else r.pvalue
    if p > alpha:
        return NO_SIGNIFICANT_DIFFERENCE
    return A_HIGHER if (r.ratio or 1.0) > 1.0 else B_HIGHER
