"""Numbers in words: shared by the headline, the claims and the renderers."""

from __future__ import annotations

from evaluator.report.model import MetricComparison
from evaluator.stats import A_HIGHER, B_HIGHER


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


def favours(c: MetricComparison) -> str | None:
    """Which key the significant difference favours (easier), or None when not significant."""
    verdict = c.result.verdict
    if verdict not in (A_HIGHER, B_HIGHER):
        return None
    a_higher = verdict == A_HIGHER
    lower_key = c.b_key if a_higher else c.a_key
    higher_key = c.a_key if a_higher else c.b_key
    return lower_key if c.metric.better == "lower" else higher_key


def comparison_sentence(c: MetricComparison, names: dict[str, str]) -> str:
    """'PyTorch needs 18% fewer source lines of code than TensorFlow: ratio 0.82 (95% CI ...), ...'"""
    r = c.result
    a, b = names.get(c.a_key, c.a_key), names.get(c.b_key, c.b_key)
    stats = (f"Wilcoxon p = {fmt_p(r.pvalue_holm if r.pvalue_holm is not None else r.pvalue)} (Holm), "
             f"r = {fmt_num(r.rank_biserial, 2)}, {r.n} tasks")
    if r.ratio is None:
        lead = f"{a} vs {b} on {c.metric.label}: Hodges-Lehmann difference {fmt_num(r.hodges_lehmann)} ({r.ratio_reason})"
    else:
        pct = (r.ratio - 1.0) * 100
        if c.metric.unit in COUNTED_UNITS:
            lead = f"{a} needs {abs(pct):.0f}% {'more' if pct > 0 else 'fewer'} {c.metric.label} than {b}"
        else:
            lead = f"{a} has {abs(pct):.0f}% {'higher' if pct > 0 else 'lower'} {c.metric.label} than {b}"
        lead += f": geometric-mean ratio {fmt_num(r.ratio)}, {fmt_ci(r.ratio_ci)}"
    verdict = {"a_higher": "significant", "b_higher": "significant",
               "no_significant_difference": "not significant", "inconclusive": "inconclusive"}[r.verdict]
    return f"{lead}; {stats} ({verdict}{': ' + r.note if r.note else ''})."
