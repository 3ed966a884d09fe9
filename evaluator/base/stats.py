"""Statistics for framework-vs-framework comparisons: paired tests, effect sizes, bootstrap CIs, Holm.

The unit of analysis is a task. Metrics are compared framework against framework, paired by task.
Everything here is a pure function of its arguments (bootstraps are seeded) returning a frozen
dataclass; nothing prints or touches files. docs/statistics.md explains every choice.
"""

from __future__ import annotations

import dataclasses
import functools
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
_NORMAL = scipy_stats.norm()


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


# ---- one scale: paired tests on per-task log ratios (the claim protocol, docs/claims.md) ----------

@dataclass(frozen=True)
class LogRatioTest:
    """a against b on one scale, the per-task log ratio d = log((a + offset) / (b + offset)).

    The test, the estimate and both intervals are all read from d, so they cannot disagree: the
    Wilcoxon signed-rank test of d, the Hodges-Lehmann estimate of d and its exact Walsh-average
    intervals, reported back as ratios (exp). None fields come with a `reason`.
    """

    n: int                      # pairs (tasks)
    n_nonzero: int              # pairs with d != 0: the signed-rank test's effective sample size
    offset: float               # added to a and b before the log (1 for counts; docs/claims.md)
    pvalue: float               # two-sided Wilcoxon signed-rank p of d, zeros dropped (Wilcoxon's rule)
    method: str                 # how scipy computes that p (see paired_comparison), or "none"
    pvalue_pratt: float | None  # the same test with Pratt's zero rule (normal approximation): sensitivity
    min_attainable_p: float     # smallest p this test can give with these |d|
    rank_biserial: float | None  # (r_plus - r_minus) / (r_plus + r_minus); > 0 when a tends to exceed b
    ratio: float | None         # exp(Hodges-Lehmann estimate of d): the typical a / b
    ci: tuple[float, float] | None          # exact Walsh-average interval at `ci_level`, as ratios
    ci_level: float             # the confidence the order statistics achieve (>= the requested one)
    ci_equivalence: tuple[float, float] | None  # the same at the equivalence confidence (90%)
    ci_equivalence_level: float
    sd_log: float               # standard deviation of d: the spread the MDE assumes
    reason: str = ""            # why there is no test (no pairs, non-positive values)
    pvalue_holm: float | None = None            # set by the family the test belongs to
    min_attainable_p_holm: float | None = None


@functools.lru_cache(maxsize=None)
def signed_rank_cdf(n: int) -> tuple[float, ...]:
    """P(V <= k), k = 0 .. n(n+1)/2, of the signed-rank statistic V of n untied, non-zero pairs.

    Under the null every sign pattern has probability 2**-n, so the count of patterns with rank sum
    k is the number of subsets of {1..n} summing to k: one pass per rank adds it to the sums so far.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    top = n * (n + 1) // 2
    density = np.zeros(top + 1)
    density[0] = 1.0
    for rank in range(1, n + 1):
        shifted = np.zeros(top + 1)
        shifted[rank:] = density[:-rank]
        density = (density + shifted) * 0.5
    return tuple(float(v) for v in np.cumsum(density))


@functools.lru_cache(maxsize=256)
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n)


def walsh_interval(d: Sequence[float], confidence: float) -> tuple[float, float, float]:
    """Exact confidence interval of the Hodges-Lehmann (pseudo)median of d from its Walsh averages.

    The order statistics R's wilcox.test(d, conf.int = TRUE, exact = TRUE) takes: k = qsignrank
    ((1 - confidence) / 2, n), at least 1, gives (W_(k), W_(M + 1 - k)) of the M = n(n+1)/2 sorted
    Walsh averages. Every difference is used, zeros included: the interval inverts the test at
    shifts other than 0, where no difference is zero (ties are treated as distinct, which makes the
    interval slightly conservative). Returns (low, high, achieved confidence).
    """
    values = _as_vector(d, "d")
    n = len(values)
    if n == 0:
        raise ValueError("walsh_interval needs at least one difference")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    i, j = _pairs(n)
    walsh = np.sort((values[i] + values[j]) / 2.0)
    cdf = signed_rank_cdf(n)
    target = (1.0 - confidence) / 2.0
    # R's qsignrank: the smallest k with P(V <= k) >= target (a hair of tolerance for round-off)
    k = next(x for x, p in enumerate(cdf) if p >= target * (1 - 1e-12))
    k = max(k, 1)
    achieved = 1.0 - 2.0 * cdf[k - 1]   # P(W_(k) <= theta <= W_(M+1-k)) = 1 - 2 P(V <= k - 1)
    return float(walsh[k - 1]), float(walsh[len(walsh) - k]), float(achieved)


def log_ratios(a: Sequence[float], b: Sequence[float], offset: float = 0.0) -> np.ndarray:
    """Per-task log((a + offset) / (b + offset)), rounded to 12 decimals so that equal ratios tie
    exactly (log(22) - log(20) and log(11) - log(10) differ in the last bit otherwise)."""
    x, y = _as_vector(a, "a") + offset, _as_vector(b, "b") + offset
    if len(x) != len(y):
        raise ValueError(f"a and b must have equal length, got {len(x)} and {len(y)}")
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError(f"log ratios need positive values after the offset {offset:g} "
                         f"({int(np.sum(x <= 0))} non-positive in a, {int(np.sum(y <= 0))} in b)")
    return np.round(np.log(x) - np.log(y), 12)


def _average_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Average ranks of `values` (1-based) and the sizes of their tie groups."""
    uniques, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    upper = np.cumsum(counts)
    return ((upper - (counts - 1) / 2.0)[inverse]).astype(float), counts


@functools.lru_cache(maxsize=None)
def _cdf_array(n: int) -> np.ndarray:
    return np.asarray(signed_rank_cdf(n))


def _signed_rank_p(d: np.ndarray, method: str) -> float:
    """Two-sided signed-rank p of d (zeros dropped), the value scipy.stats.wilcoxon(d, method=...)
    returns, computed directly: the claim protocol reruns the test thousands of times (robustness),
    and scipy's wrappers cost milliseconds a call. Tests check both agree."""
    nonzero = d[d != 0]
    m = len(nonzero)
    if m == 0:
        return 1.0
    ranks, ties = _average_ranks(np.abs(nonzero))
    r_plus = float(ranks[nonzero > 0].sum())
    if method == "exact":   # no ties, no zeros: the exact null distribution
        cdf = _cdf_array(m)
        k = int(round(r_plus))
        below = cdf[k]
        above = 1.0 - (cdf[k - 1] if k >= 1 else 0.0)
        return float(min(1.0, 2.0 * min(below, above)))
    if method == "permutation":   # every sign pattern; doubled ranks are integers, so sums are exact
        doubled = np.rint(2 * ranks).astype(int)
        counts = np.zeros(int(doubled.sum()) + 1)
        counts[0] = 1.0
        for r in doubled:
            shifted = np.zeros_like(counts)
            shifted[r:] = counts[:-r]
            counts = (counts + shifted) * 0.5
        observed = int(round(2 * r_plus))
        below, above = counts[: observed + 1].sum(), counts[observed:].sum()
        return float(min(1.0, 2.0 * min(below, above)))
    mean = m * (m + 1) / 4.0
    variance = (m * (m + 1) * (2 * m + 1) - np.sum(ties**3 - ties) / 2.0) / 24.0
    z = (r_plus - mean) / math.sqrt(variance)
    return float(min(1.0, math.erfc(abs(z) / math.sqrt(2.0))))   # 2 * the normal upper tail


def _pratt_pvalue(d: np.ndarray) -> float | None:
    """Pratt's rule (zeros ranked, then given no sign), normal approximation as scipy computes it."""
    zeros = int(np.sum(d == 0))
    if zeros == len(d):
        return None
    n = len(d)
    ranks, _ = _average_ranks(np.abs(d))
    r_plus = float(ranks[d > 0].sum())
    _, ties = np.unique(np.abs(d[d != 0]), return_counts=True)   # the zeros' group is not a tie here
    mean = n * (n + 1) / 4.0 - zeros * (zeros + 1) / 4.0
    variance = (n * (n + 1) * (2 * n + 1) - zeros * (zeros + 1) * (2 * zeros + 1)
                - np.sum(ties**3 - ties) / 2.0) / 24.0
    z = (r_plus - mean) / math.sqrt(variance)
    return float(min(1.0, math.erfc(abs(z) / math.sqrt(2.0))))   # 2 * the normal upper tail


def log_ratio_test(
    a: Sequence[float], b: Sequence[float], *, offset: float = 0.0, confidence: float = CONFIDENCE_LEVEL,
    equivalence_confidence: float = 0.90,
) -> LogRatioTest:
    """Wilcoxon signed-rank test, Hodges-Lehmann estimate and exact Walsh intervals of log(a / b).

    Non-positive values (after `offset`) give no test: every field is empty and `reason` says why.
    """
    x, y = _as_vector(a, "a"), _as_vector(b, "b")
    if len(x) != len(y):
        raise ValueError(f"a and b must have equal length, got {len(x)} and {len(y)}")
    n = len(x)
    try:
        if n == 0:
            raise ValueError("no pairs")
        d = log_ratios(x, y, offset)
    except ValueError as exc:
        return LogRatioTest(n, 0, offset, 1.0, "none", None, 1.0, None, None, None, 0.0, None, 0.0, 0.0, str(exc))
    nonzero = d[d != 0]
    if len(nonzero) == 0:
        pvalue, method, min_p, rank_biserial = 1.0, "none", 1.0, None
    else:
        ranks, _ = _average_ranks(np.abs(nonzero))
        r_plus, r_minus = float(ranks[nonzero > 0].sum()), float(ranks[nonzero < 0].sum())
        rank_biserial = (r_plus - r_minus) / (r_plus + r_minus)
        method = _wilcoxon_method(d)
        pvalue = _signed_rank_p(d, method)
        min_p = _signed_rank_p(np.abs(d), method)
    low, high, level = walsh_interval(d, confidence)
    eq_low, eq_high, eq_level = walsh_interval(d, equivalence_confidence)
    return LogRatioTest(
        n=n, n_nonzero=len(nonzero), offset=offset, pvalue=pvalue, method=method, pvalue_pratt=_pratt_pvalue(d),
        min_attainable_p=min_p, rank_biserial=rank_biserial, ratio=float(np.exp(hodges_lehmann(d))),
        ci=(float(np.exp(low)), float(np.exp(high))), ci_level=level,
        ci_equivalence=(float(np.exp(eq_low)), float(np.exp(eq_high))), ci_equivalence_level=eq_level,
        sd_log=float(np.std(d, ddof=1)) if n > 1 else 0.0,
    )


def holm_family(tests: Mapping[str, LogRatioTest], size: int | None = None) -> dict[str, LogRatioTest]:
    """Holm across `tests`; a family declared larger (`size`) counts its missing tests as p = 1.

    A test that could not run (no pairs) counts as p = 1 too. Sets pvalue_holm and
    min_attainable_p_holm; Holm is monotone, so the adjusted minima are the best reachable values.
    """
    names = list(tests)
    missing = max(0, (size or len(names)) - len(names))
    adjusted = holm([tests[k].pvalue for k in names] + [1.0] * missing)
    adjusted_min = holm([tests[k].min_attainable_p for k in names] + [1.0] * missing)
    return {k: dataclasses.replace(tests[k], pvalue_holm=p, min_attainable_p_holm=m)
            for k, p, m in zip(names, adjusted, adjusted_min)}


# Asymptotic relative efficiency of the signed-rank test against the t test under normality (3 / pi):
# the signed-rank test with n pairs has about the power of a t test with 3n/pi.
_WILCOXON_ARE = 3.0 / math.pi


def mde_ratio(sd_log: float, n: int, alpha: float, power: float = 0.80) -> float | None:
    """Smallest true ratio (> 1; its inverse below 1 alike) a two-sided test at `alpha` detects with
    `power`, for n tasks whose log ratios spread with sd_log (normal approximation, signed-rank ARE)."""
    _check_alpha(alpha)
    if n < 2 or sd_log <= 0 or not math.isfinite(sd_log):
        return None
    z = _NORMAL.ppf(1 - alpha / 2) + _NORMAL.ppf(power)
    return float(math.exp(z * sd_log / math.sqrt(n * _WILCOXON_ARE)))


def tasks_for_power(sd_log: float, delta: float, alpha: float, power: float = 0.80) -> int | None:
    """Tasks needed to detect a ratio of `delta` with `power` at `alpha` (inverse of mde_ratio)."""
    _check_alpha(alpha)
    if delta <= 1 or sd_log <= 0 or not math.isfinite(sd_log):
        return None
    z = _NORMAL.ppf(1 - alpha / 2) + _NORMAL.ppf(power)
    return max(2, math.ceil((z * sd_log / math.log(delta)) ** 2 / _WILCOXON_ARE))


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


def clopper_pearson(successes: int, trials: int, confidence: float) -> tuple[float, float]:
    """The exact (Clopper-Pearson) two-sided interval of a binomial proportion at `confidence`: each
    tail holds at most (1 - confidence) / 2, whatever the true proportion. (0, 1) for no trials."""
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must be in [0, trials], got {successes} of {trials}")
    if trials == 0:
        return 0.0, 1.0
    tail = (1.0 - confidence) / 2.0
    low = 0.0 if successes == 0 else float(scipy_stats.beta.ppf(tail, successes, trials - successes + 1))
    high = 1.0 if successes == trials else float(scipy_stats.beta.ppf(1.0 - tail, successes + 1, trials - successes))
    return low, high
