"""Statistics for framework-vs-framework comparisons: paired tests, effect sizes, bootstrap CIs, Holm.

The unit of analysis is a task. Metrics are compared framework against framework, paired by task.
Everything here is a pure function of its arguments (bootstraps are seeded) returning a frozen
dataclass; nothing prints or touches files. docs/statistics.md explains every choice.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as scipy_stats

A_HIGHER = "a_higher"
B_HIGHER = "b_higher"
NO_SIGNIFICANT_DIFFERENCE = "no_significant_difference"
INCONCLUSIVE = "inconclusive"
VERDICTS = (A_HIGHER, B_HIGHER, NO_SIGNIFICANT_DIFFERENCE, INCONCLUSIVE)

CONFIDENCE_LEVEL = 0.95
_MIN_BOOTSTRAP_N = 3            # below this a bootstrap CI says nothing; we report none
_WILCOXON_EXACT_MAX_N = 50      # scipy's method="auto": above this many pairs, normal approximation
_PERMUTATION_MAX_N = 13         # scipy's method="auto": ties/zeros and n <= 13 -> exhaustive sign flips


@dataclass(frozen=True)
class RatioEstimate:
    """A geometric-mean ratio with its bootstrap CI; None fields come with a `reason`."""

    n: int
    ratio: float | None
    ci: tuple[float, float] | None
    ci_method: str | None       # "BCa", or "percentile" where BCa could not be computed
    reason: str = ""            # why ratio or ci is None; "" when both are present


@dataclass(frozen=True)
class PairedComparison:
    """Framework a against framework b on one metric, paired by task (see paired_comparison)."""

    n: int                      # pairs (tasks)
    n_nonzero: int              # pairs with a != b: the Wilcoxon test's effective sample size
    statistic: float            # scipy's two-sided statistic, min(r_plus, r_minus)
    pvalue: float               # two-sided Wilcoxon signed-rank p, as scipy computes it
    method: str                 # "exact", "permutation", "asymptotic", or "none" (all differences zero)
    r_plus: float               # sum of ranks of positive a - b
    r_minus: float              # sum of ranks of negative a - b
    rank_biserial: float | None  # (r_plus - r_minus) / (r_plus + r_minus); > 0 when a tends to exceed b
    hodges_lehmann: float       # median of the Walsh averages of a - b (zeros included)
    ratio: float | None         # geometric mean of a / b
    ratio_ci: tuple[float, float] | None
    ratio_ci_method: str | None
    ratio_reason: str           # why ratio or ratio_ci is None
    min_attainable_p: float     # smallest p this test can give with these |a - b|
    alpha: float
    verdict: str                # one of VERDICTS, from pvalue_holm when set, else pvalue
    pvalue_holm: float | None = None            # set by compare_family
    min_attainable_p_holm: float | None = None  # set by compare_family
    note: str = ""              # why the verdict is inconclusive, when it is


@dataclass(frozen=True)
class TimingComparison:
    """Repeated timings of a and b on one task (independent samples); 'higher' means slower."""

    n_a: int
    n_b: int
    median_a: float
    median_b: float
    ratio: float | None         # median(a) / median(b)
    ratio_ci: tuple[float, float] | None
    ratio_ci_method: str | None
    ratio_reason: str
    statistic: float            # Mann-Whitney U of sample a, as scipy reports it
    pvalue: float               # two-sided Mann-Whitney U p
    method: str                 # "exact" or "asymptotic" (scipy's automatic choice)
    min_attainable_p: float
    alpha: float
    verdict: str
    note: str = ""
    pvalue_holm: float | None = None    # set by timing_family: Holm across the tasks of one speed comparison


def _as_vector(values: Sequence[float], name: str) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def _check_alpha(alpha: float) -> None:
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")


def _bootstrap_ci(
    data: tuple[np.ndarray, ...], statistic, *, n_resamples: int, seed: int
) -> tuple[tuple[float, float] | None, str | None, str]:
    """BCa interval, else percentile when BCa is undefined; returns (ci, method, reason)."""
    for method in ("BCa", "percentile"):
        with warnings.catch_warnings():
            # degenerate data makes BCa return NaN with a warning; we test for NaN ourselves
            warnings.simplefilter("ignore", scipy_stats.DegenerateDataWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            result = scipy_stats.bootstrap(
                data, statistic, n_resamples=n_resamples, paired=False, vectorized=True,
                confidence_level=CONFIDENCE_LEVEL, method=method, rng=np.random.default_rng(seed),
            )
        low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
        if math.isfinite(low) and math.isfinite(high):
            return (low, high), method, ""
    return None, None, "bootstrap interval undefined (BCa and percentile both gave NaN)"


def geometric_mean_ratio(ratios: Sequence[float], *, n_resamples: int = 9999, seed: int = 0) -> RatioEstimate:
    """Geometric mean of positive ratios with a seeded 95% bootstrap CI (BCa on the log scale)."""
    values = _as_vector(ratios, "ratios")
    n = len(values)
    if n == 0:
        return RatioEstimate(0, None, None, None, "no ratios")
    if np.any(values <= 0):
        return RatioEstimate(n, None, None, None, f"{int(np.sum(values <= 0))} of {n} ratios are not positive; "
                             "a geometric mean needs positive values")
    logs = np.log(values)
    ratio = float(np.exp(np.mean(logs)))
    if n < _MIN_BOOTSTRAP_N:
        return RatioEstimate(n, ratio, None, None, f"n={n} is too small for a bootstrap CI (needs {_MIN_BOOTSTRAP_N})")
    if np.ptp(logs) == 0.0:
        return RatioEstimate(n, ratio, None, None, "all ratios are equal; the bootstrap distribution is one point")
    log_ci, method, reason = _bootstrap_ci((logs,), np.mean, n_resamples=n_resamples, seed=seed)
    ci = None if log_ci is None else (float(np.exp(log_ci[0])), float(np.exp(log_ci[1])))
    return RatioEstimate(n, ratio, ci, method, reason)


def _paired_ratio(x: np.ndarray, y: np.ndarray, *, n_resamples: int, seed: int) -> RatioEstimate:
    """Geometric mean of x / y; resampling the per-task log ratios is the paired bootstrap."""
    if np.all(x > 0) and np.all(y > 0):
        return geometric_mean_ratio(x / y, n_resamples=n_resamples, seed=seed)
    return RatioEstimate(len(x), None, None, None, "a and b must be positive for a ratio "
                         f"({int(np.sum(x <= 0))} non-positive in a, {int(np.sum(y <= 0))} in b)")


def _wilcoxon_method(d: np.ndarray) -> str:
    """The method scipy's wilcoxon(method='auto') picks for differences d (scipy >= 1.15 rules)."""
    nonzero = np.abs(d[d != 0])
    has_zeros = len(nonzero) < len(d)
    has_ties = len(np.unique(nonzero)) < len(nonzero)
    if len(d) > _WILCOXON_EXACT_MAX_N:
        return "asymptotic"
    if not (has_ties or has_zeros):
        return "exact"
    return "permutation" if len(d) <= _PERMUTATION_MAX_N else "asymptotic"


def _wilcoxon_pvalue(d: np.ndarray, method: str) -> float:
    """Two-sided signed-rank p of d by `method`, the value scipy.stats.wilcoxon(d) returns.

    For "permutation" this repeats scipy's own call (an exhaustive sign-flip permutation_test of
    r_plus: 2**n <= 8192 < 9999 resamples) with a vectorized statistic: scipy's loops over the
    sign patterns in Python and takes seconds; this takes milliseconds, with the same null
    distribution and the same comparison, so the same p.
    """
    if method == "permutation":
        # sign flips keep every element in place and |d| unchanged, so the ranks are fixed
        ranks = np.zeros(len(d))
        ranks[d != 0] = scipy_stats.rankdata(np.abs(d[d != 0]))

        def positive_rank_sum(flipped: np.ndarray, axis: int = -1) -> np.ndarray:
            return np.sum(np.where(flipped > 0, ranks, 0.0), axis=axis)

        result = scipy_stats.permutation_test(
            (d,), positive_rank_sum, permutation_type="samples", vectorized=True,
            n_resamples=9999, alternative="two-sided", axis=-1,
        )
        return float(result.pvalue)
    return float(scipy_stats.wilcoxon(d, zero_method="wilcox", alternative="two-sided", method=method).pvalue)


def min_tasks_for(alpha: float) -> int:
    """The fewest pairs (no zeros, no ties) with which a two-sided exact Wilcoxon signed-rank test can
    reach p <= alpha: its smallest p with n pairs is 2 / 2**n."""
    _check_alpha(alpha)
    return max(1, math.ceil(math.log2(2.0 / alpha) - 1e-12))


def hodges_lehmann(d: Sequence[float]) -> float:
    """Median of the Walsh averages (d_i + d_j) / 2, i <= j, of the paired differences d."""
    values = _as_vector(d, "d")
    if len(values) == 0:
        raise ValueError("hodges_lehmann needs at least one difference")
    i, j = np.triu_indices(len(values))
    return float(np.median((values[i] + values[j]) / 2.0))


def _verdict(pvalue: float, min_p: float, direction: float, alpha: float, n_nonzero: int) -> tuple[str, str]:
    if n_nonzero == 0:
        return INCONCLUSIVE, "all differences are zero: the signed-rank test has nothing to rank"
    if min_p > alpha:
        return INCONCLUSIVE, f"the smallest attainable p ({min_p:.3g}) exceeds alpha ({alpha:g})"
    if pvalue <= alpha:
        return (A_HIGHER if direction > 0 else B_HIGHER), ""
    return NO_SIGNIFICANT_DIFFERENCE, ""


def paired_comparison(
    a: Sequence[float], b: Sequence[float], *, alpha: float = 0.05, n_resamples: int = 9999, seed: int = 0
) -> PairedComparison:
    """Two-sided Wilcoxon signed-rank test of a against b, paired by position, with effect sizes.

    Zero differences are dropped before ranking (scipy's zero_method="wilcox"); when every
    difference is zero the p-value is 1.0 and the verdict "inconclusive". The ratio and its CI
    need positive a and b; otherwise they are None and `ratio_reason` says why.
    """
    _check_alpha(alpha)
    x, y = _as_vector(a, "a"), _as_vector(b, "b")
    if len(x) != len(y):
        raise ValueError(f"a and b must have equal length, got {len(x)} and {len(y)}")
    if len(x) == 0:
        raise ValueError("paired_comparison needs at least one pair")
    d = x - y   # the same differences scipy computes from (a, b)
    nonzero = d[d != 0]
    n_nonzero = len(nonzero)
    if n_nonzero == 0:
        statistic, pvalue, method, min_p = 0.0, 1.0, "none", 1.0
        r_plus = r_minus = 0.0
        rank_biserial = None
    else:
        ranks = scipy_stats.rankdata(np.abs(nonzero))
        r_plus, r_minus = float(ranks[nonzero > 0].sum()), float(ranks[nonzero < 0].sum())
        rank_biserial = (r_plus - r_minus) / (r_plus + r_minus)
        statistic = min(r_plus, r_minus)   # what scipy reports for a two-sided test
        method = _wilcoxon_method(d)
        pvalue = _wilcoxon_pvalue(d, method)
        # the most extreme outcome with these |d| (same zeros, same ties, so scipy's automatic
        # choice picks the same method) is every non-zero difference pointing the same way
        min_p = _wilcoxon_pvalue(np.abs(d), method)
    ratio = _paired_ratio(x, y, n_resamples=n_resamples, seed=seed)
    verdict, note = _verdict(pvalue, min_p, r_plus - r_minus, alpha, n_nonzero)
    return PairedComparison(
        n=len(x), n_nonzero=n_nonzero, statistic=statistic, pvalue=pvalue, method=method,
        r_plus=r_plus, r_minus=r_minus, rank_biserial=rank_biserial, hodges_lehmann=hodges_lehmann(d),
        ratio=ratio.ratio, ratio_ci=ratio.ci, ratio_ci_method=ratio.ci_method, ratio_reason=ratio.reason,
        min_attainable_p=min_p, alpha=alpha, verdict=verdict, note=note,
    )


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm step-down adjusted p-values, in the input order (capped at 1)."""
    p = _as_vector(pvalues, "pvalues")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    m = len(p)
    order = np.argsort(p, kind="stable")
    stepped = (m - np.arange(m)) * p[order]            # (m - j + 1) p_(j) for j = 1..m
    adjusted_sorted = np.minimum(np.maximum.accumulate(stepped), 1.0)
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return [float(v) for v in adjusted]


def compare_family(
    pairs: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    *, alpha: float = 0.05, n_resamples: int = 9999, seed: int = 0,
) -> dict[str, PairedComparison]:
    """paired_comparison per metric, then Holm across the family; verdicts use the adjusted p.

    A metric is "inconclusive" when even its Holm-adjusted smallest attainable p exceeds alpha:
    the family is too large for this many tasks to ever show a difference there.
    """
    _check_alpha(alpha)
    raw = {name: paired_comparison(a, b, alpha=alpha, n_resamples=n_resamples, seed=seed)
           for name, (a, b) in pairs.items()}
    names = list(raw)
    adjusted = holm([raw[name].pvalue for name in names])
    # Holm is monotone in every p, so adjusting the minima gives each metric's best reachable adjusted p
    adjusted_min = holm([raw[name].min_attainable_p for name in names])
    family = {}
    for name, p_holm, min_p_holm in zip(names, adjusted, adjusted_min):
        c = raw[name]
        verdict, note = _verdict(p_holm, min_p_holm, c.r_plus - c.r_minus, alpha, c.n_nonzero)
        family[name] = dataclasses.replace(
            c, pvalue_holm=p_holm, min_attainable_p_holm=min_p_holm, verdict=verdict, note=note)
    return family


def _median_ratio(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.median(x, axis=axis) / np.median(y, axis=axis)


def _mannwhitney_min_p(pooled: np.ndarray, n_a: int) -> float:
    """Smallest two-sided p over arrangements of the pooled values.

    The variance (ties included) is the same for every arrangement, so the extreme is where a's
    rank sum is largest or smallest: a gets the n_a largest values, or the n_a smallest.
    """
    ordered = np.sort(pooled)
    n_b = len(ordered) - n_a
    top = scipy_stats.mannwhitneyu(ordered[n_b:], ordered[:n_b], alternative="two-sided").pvalue
    bottom = scipy_stats.mannwhitneyu(ordered[:n_a], ordered[n_a:], alternative="two-sided").pvalue
    return float(min(top, bottom))


def timing_comparison(
    samples_a: Sequence[float], samples_b: Sequence[float],
    *, alpha: float = 0.05, n_resamples: int = 9999, seed: int = 0,
) -> TimingComparison:
    """Ratio of medians (a / b) with a bootstrap CI and a two-sided Mann-Whitney U test."""
    _check_alpha(alpha)
    x, y = _as_vector(samples_a, "samples_a"), _as_vector(samples_b, "samples_b")
    if len(x) == 0 or len(y) == 0:
        raise ValueError("timing_comparison needs at least one sample on each side")
    median_a, median_b = float(np.median(x)), float(np.median(y))
    if np.all(x > 0) and np.all(y > 0):
        ratio, reason = median_a / median_b, ""
        if min(len(x), len(y)) < _MIN_BOOTSTRAP_N:
            ci, ci_method, reason = None, None, f"too few samples for a bootstrap CI (needs {_MIN_BOOTSTRAP_N} per side)"
        elif np.ptp(x) == 0.0 and np.ptp(y) == 0.0:
            ci, ci_method, reason = None, None, "all samples equal on both sides; the bootstrap distribution is one point"
        else:
            ci, ci_method, reason = _bootstrap_ci((x, y), _median_ratio, n_resamples=n_resamples, seed=seed)
    else:
        ratio, ci, ci_method, reason = None, None, None, "timings must be positive for a ratio"
    pooled = np.concatenate([x, y])
    has_ties = len(np.unique(pooled)) < len(pooled)
    method = "asymptotic" if (min(len(x), len(y)) > 8 or has_ties) else "exact"   # scipy's auto rule
    if np.ptp(pooled) == 0.0:   # scipy's normal approximation would divide by a zero variance
        statistic, pvalue, min_p = len(x) * len(y) / 2.0, 1.0, 1.0
        verdict, note = INCONCLUSIVE, "all timings are equal"
    else:
        result = scipy_stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")
        statistic, pvalue = float(result.statistic), float(result.pvalue)
        min_p = _mannwhitney_min_p(pooled, len(x))
        direction = statistic - len(x) * len(y) / 2.0   # U above its null mean: a tends to be slower
        verdict, note = _verdict(pvalue, min_p, direction, alpha, 1)
    return TimingComparison(
        n_a=len(x), n_b=len(y), median_a=median_a, median_b=median_b, ratio=ratio, ratio_ci=ci,
        ratio_ci_method=ci_method, ratio_reason=reason, statistic=statistic, pvalue=pvalue, method=method,
        min_attainable_p=min_p, alpha=alpha, verdict=verdict, note=note,
    )


def process_timing_comparison(process_medians_a: Sequence[float], process_medians_b: Sequence[float],
                              *, alpha: float = 0.05) -> TimingComparison:
    """One task's speed, a against b, from independent processes: one median per process and side.

    Repeats within a process are not independent (they share its allocator, caches and memory
    layout), so the unit is the process, as in pyperf. Welch's two-sample t-test on the log process
    medians; `ratio` is the ratio of their geometric means, `ratio_ci` its 95% Welch interval.
    Fewer than 2 processes on a side, or no spread at all, give no test (verdict inconclusive).
    """
    _check_alpha(alpha)
    x, y = _as_vector(process_medians_a, "process_medians_a"), _as_vector(process_medians_b, "process_medians_b")
    if len(x) == 0 or len(y) == 0:
        raise ValueError("process_timing_comparison needs at least one process on each side")
    median_a, median_b = float(np.median(x)), float(np.median(y))
    if not (np.all(x > 0) and np.all(y > 0)):
        return TimingComparison(len(x), len(y), median_a, median_b, None, None, None, "timings must be positive for a ratio",
                                float("nan"), 1.0, "none", 1.0, alpha, INCONCLUSIVE, "timings must be positive")
    lx, ly = np.log(x), np.log(y)
    ratio = float(np.exp(lx.mean() - ly.mean()))
    if min(len(x), len(y)) < 2:
        note = "fewer than 2 processes on a side: no between-process variance to test against"
        return TimingComparison(len(x), len(y), median_a, median_b, ratio, None, None, note, float("nan"), 1.0, "none",
                                1.0, alpha, INCONCLUSIVE, note)
    vx, vy = lx.var(ddof=1) / len(x), ly.var(ddof=1) / len(y)
    if vx + vy == 0.0:
        note = "every process gave the same time on both sides"
        return TimingComparison(len(x), len(y), median_a, median_b, ratio, None, None, note, float("nan"), 1.0, "none",
                                1.0, alpha, INCONCLUSIVE, note)
    result = scipy_stats.ttest_ind(lx, ly, equal_var=False)
    df = (vx + vy) ** 2 / (vx**2 / (len(x) - 1) + vy**2 / (len(y) - 1))   # Welch-Satterthwaite
    half = float(scipy_stats.t.ppf(0.5 + CONFIDENCE_LEVEL / 2, df)) * math.sqrt(vx + vy)
    difference = float(lx.mean() - ly.mean())
    ci = (math.exp(difference - half), math.exp(difference + half))
    statistic, pvalue = float(result.statistic), float(result.pvalue)
    verdict, note = _verdict(pvalue, 0.0, statistic, alpha, 1)
    return TimingComparison(len(x), len(y), median_a, median_b, ratio, ci, "welch-t", "", statistic, pvalue,
                            "welch-t-log", 0.0, alpha, verdict, note)


def timing_family(comparisons: Sequence[TimingComparison], *, alpha: float = 0.05) -> list[TimingComparison]:
    """Holm across the per-task comparisons of one family (one pair of implementations on one machine,
    device, size and thread count); verdicts are recomputed from the adjusted p."""
    _check_alpha(alpha)
    if not comparisons:
        return []
    adjusted = holm([c.pvalue for c in comparisons])
    adjusted_min = holm([c.min_attainable_p for c in comparisons])
    family = []
    for c, p_holm, min_p_holm in zip(comparisons, adjusted, adjusted_min):
        if c.method == "none":  # nothing was tested; the reason stays
            family.append(dataclasses.replace(c, pvalue_holm=p_holm))
            continue
        direction = c.statistic if c.method == "welch-t-log" else c.statistic - c.n_a * c.n_b / 2.0
        verdict, note = _verdict(p_holm, min_p_holm, direction, alpha, 1)
        family.append(dataclasses.replace(c, pvalue_holm=p_holm, verdict=verdict, note=note))
    return family
