"""Numbers in words: shared by the headline, the claims and the renderers."""

from __future__ import annotations

from evaluator.report.model import MetricComparison
from evaluator.stats import A_HIGHER, B_HIGHER, INCONCLUSIVE, NO_SIGNIFICANT_DIFFERENCE


COUNTED_UNITS = {"lines", "tokens", "APIs", "references", "calls", "arguments", "namespaces", "classes", "decorators"}


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


def favours(c: MetricComparison) -> str | None:
    """Which key the significant (log-ratio, Holm) difference favours (easier), or None."""
    verdict = log_verdict(c)
    if verdict not in (A_HIGHER, B_HIGHER):
        return None
    a_higher = verdict == A_HIGHER
    lower_key = c.b_key if a_higher else c.a_key
    higher_key = c.a_key if a_higher else c.b_key
    return lower_key if c.metric.better == "lower" else higher_key


def comparison_sentence(c: MetricComparison, names: dict[str, str]) -> str:
    """'PyTorch needs 29% fewer source lines of code than TensorFlow: ratio 0.71 (95% CI ...), ...':
    the log-ratio test, whose estimate, interval and p are on one scale (exploratory)."""
    r = c.log
    a, b = names.get(c.a_key, c.a_key), names.get(c.b_key, c.b_key)
    if r is None or r.reason:
        return f"{a} vs {b} on {c.metric.label}: no log-ratio test ({r.reason if r else 'not computed'})."
    pct = (r.ratio - 1.0) * 100
    if c.metric.unit in COUNTED_UNITS:
        lead = f"{a} needs {abs(pct):.0f}% {'more' if pct > 0 else 'fewer'} {c.metric.label} than {b}"
    else:
        lead = f"{a} has {abs(pct):.0f}% {'higher' if pct > 0 else 'lower'} {c.metric.label} than {b}"
    lead += f": ratio {fmt_num(r.ratio)}, {fmt_ci(r.ci)}"
    holm = f" (Holm within the {c.metric.family} family)" if r.pvalue_holm is not None else ""
    stats = (f"Wilcoxon p = {fmt_p(r.pvalue_holm if r.pvalue_holm is not None else r.pvalue)}{holm}, "
             f"{r.n} tasks ({r.n_nonzero} non-zero)")
    verdict = {A_HIGHER: "significant", B_HIGHER: "significant", NO_SIGNIFICANT_DIFFERENCE: "not significant",
               INCONCLUSIVE: "not decidable"}[log_verdict(c)]
    return f"{lead}; {stats}; {verdict}, exploratory."
