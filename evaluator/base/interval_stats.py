"""Statistics claim protocol 2 decides with: intervals at a family-wise level, a two-sample contrast,
power by simulation of the exact test, and interpolated intervals for descriptive rows.

Pure functions of their arguments (simulations are seeded); docs/statistics.md and docs/claims.md
explain each choice. The one-sample tools (Walsh intervals, the signed-rank distribution) are in
stats.py.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as scipy_stats

from evaluator.base.stats import _as_vector, _pairs, signed_rank_cdf

_NORMAL = scipy_stats.norm()


# ---- one stated confidence for descriptive rows ------------------------------------------------------

def interpolated_walsh_interval(d: Sequence[float], confidence: float) -> tuple[float, float] | None:
    """The Walsh-average interval of the pseudomedian of d at `confidence`, interpolated linearly between
    the two exact order-statistic intervals whose confidences bracket it, so that rows of different n
    show intervals at one stated level. Approximate (exact only where an order statistic hits the level);
    None when even the widest interval (the extreme Walsh averages) is below `confidence`."""
    values = _as_vector(d, "d")
    n = len(values)
    if n == 0 or not 0.0 < confidence < 1.0:
        return None
    i, j = _pairs(n)
    walsh = np.sort((values[i] + values[j]) / 2.0)
    cdf = np.asarray(signed_rank_cdf(n))
    # levels[k - 1] = confidence of (W_(k), W_(M+1-k)) = 1 - 2 P(V <= k - 1), decreasing in k
    ks = np.arange(1, len(walsh) // 2 + 1)
    levels = 1.0 - 2.0 * cdf[ks - 1]
    if len(ks) == 0 or levels[0] < confidence - 1e-12:   # one task: no interval at all
        return None
    wider = int(np.nonzero(levels >= confidence - 1e-12)[0][-1])  # index of the narrowest interval still >= level
    if wider + 1 >= len(ks) or abs(levels[wider] - confidence) < 1e-12:
        k = ks[wider]
        return float(walsh[k - 1]), float(walsh[len(walsh) - k])
    hi_level, lo_level = levels[wider], levels[wider + 1]
    weight = (confidence - lo_level) / (hi_level - lo_level)   # 1 at the wider interval's level
    k_wide, k_narrow = ks[wider], ks[wider + 1]
    low = weight * walsh[k_wide - 1] + (1 - weight) * walsh[k_narrow - 1]
    high = weight * walsh[len(walsh) - k_wide] + (1 - weight) * walsh[len(walsh) - k_narrow]
    return float(low), float(high)


# ---- the two-sample contrast (claim 7: is the difference larger in one group of tasks?) -------------

@functools.lru_cache(maxsize=64)
def mann_whitney_cdf(n: int, m: int) -> tuple[float, ...]:
    """P(U <= u), u = 0 .. n*m, of the Mann-Whitney statistic of n and m untied values under the null.

    Counts by the recurrence c(n, m, u) = c(n - 1, m, u - m) + c(n, m - 1, u) (the largest value is
    from the first sample or not), as probabilities so that large n*m stay finite."""
    if n < 0 or m < 0:
        raise ValueError("sample sizes must be >= 0")
    # prob[j] = distribution of U for sizes (i, j) as i grows; start with i = 0: U = 0 surely
    prob = [np.ones(1) for _ in range(m + 1)]
    for i in range(1, n + 1):
        new = [np.ones(1)]  # (i, 0): U = 0
        for j in range(1, m + 1):
            size = i * j + 1
            a = np.zeros(size)   # from (i - 1, j): the largest is from the first sample, U += j
            a[j:j + len(prob[j])] = prob[j]
            b = np.zeros(size)   # from (i, j - 1): the largest is from the second sample
            b[:len(new[j - 1])] = new[j - 1]
            new.append(a * (i / (i + j)) + b * (j / (i + j)))
        prob = new
    return tuple(float(v) for v in np.cumsum(prob[m]))


@dataclass(frozen=True)
class ShiftInterval:
    """Hodges-Lehmann two-sample shift of x against y with its Mann-Whitney interval."""

    shift: float                 # median of all x_i - y_j
    low: float
    high: float
    achieved: float              # the confidence the order statistics achieve (>= requested unless n tiny)
    pvalue: float                # two-sided Mann-Whitney p of no shift (descriptive)
    n_x: int
    n_y: int


def shift_interval(x: Sequence[float], y: Sequence[float], confidence: float) -> ShiftInterval:
    """Exact distribution-free interval of the shift x - y (Lehmann 1963): with the N = n*m pairwise
    differences sorted, (D_(k), D_(N+1-k)) for the smallest k with P(U <= k - 1) < (1 - confidence) / 2,
    whose coverage is 1 - 2 P(U <= k - 1): the interval inverts the Mann-Whitney test. Ties are
    treated as distinct (slightly conservative), as for the Walsh intervals."""
    xs, ys = _as_vector(x, "x"), _as_vector(y, "y")
    n, m = len(xs), len(ys)
    if n == 0 or m == 0:
        raise ValueError("shift_interval needs values in both groups")
    diffs = np.sort((xs[:, None] - ys[None, :]).ravel())
    cdf = mann_whitney_cdf(n, m)
    target = (1.0 - confidence) / 2.0
    k = next((u for u, p in enumerate(cdf) if p >= target * (1 - 1e-12)), 0)
    k = max(k, 1)
    achieved = 1.0 - 2.0 * cdf[k - 1]
    pvalue = float(scipy_stats.mannwhitneyu(xs, ys, alternative="two-sided").pvalue)
    return ShiftInterval(float(np.median(diffs)), float(diffs[k - 1]), float(diffs[len(diffs) - k]), float(achieved),
                         pvalue, n, m)


# ---- power of the exact signed-rank test, by seeded simulation --------------------------------------

SIMULATIONS = 4000


def _critical_rank_sum(n: int, alpha_two_sided: float) -> int:
    """The largest c with P(V <= c) <= alpha / 2 under the null (-1 when no rejection is possible)."""
    cdf = signed_rank_cdf(n)
    c = -1
    for k, p in enumerate(cdf):
        if p <= alpha_two_sided / 2 * (1 + 1e-12):
            c = k
        else:
            break
    return c


@functools.lru_cache(maxsize=256)
def _standard_draws(n: int, seed: int, simulations: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((simulations, n))


def signed_rank_power(effect_log: float, sd_log: float, n: int, alpha_two_sided: float, *, seed: int = 0,
                      simulations: int = SIMULATIONS) -> float:
    """Power of the exact two-sided signed-rank test at `alpha_two_sided` when the n log ratios are
    normal with mean `effect_log` and sd `sd_log` (seeded; the same draws for every effect, so power is
    monotone in the effect and a bisection over it is stable)."""
    if n < 1 or sd_log <= 0:
        return 0.0
    c = _critical_rank_sum(n, alpha_two_sided)
    if c < 0:
        return 0.0
    d = effect_log + sd_log * _standard_draws(n, seed, simulations)
    ranks = np.argsort(np.argsort(np.abs(d), axis=1), axis=1) + 1   # continuous draws: no ties
    v = np.sum(np.where(d > 0, ranks, 0), axis=1)
    top = n * (n + 1) // 2
    return float(np.mean((v <= c) | (v >= top - c)))


def mde_ratio_exact(sd_log: float, n: int, alpha_two_sided: float, power: float = 0.80, *, seed: int = 0,
                    simulations: int = SIMULATIONS) -> float | None:
    """Smallest true ratio the exact signed-rank test at `alpha_two_sided` detects with `power`, for n
    tasks whose log ratios spread with sd_log (normal), by bisection on seeded simulations; None where
    the test cannot reach that power at any effect (too few tasks for the level)."""
    if n < 2 or sd_log <= 0 or not math.isfinite(sd_log):
        return None
    if _critical_rank_sum(n, alpha_two_sided) < 0:
        return None
    low, high = 0.0, sd_log
    while signed_rank_power(high, sd_log, n, alpha_two_sided, seed=seed, simulations=simulations) < power:
        high *= 2
        if high > 50 * sd_log:
            return None
    for _ in range(40):
        mid = (low + high) / 2
        if signed_rank_power(mid, sd_log, n, alpha_two_sided, seed=seed, simulations=simulations) >= power:
            high = mid
        else:
            low = mid
    return float(math.exp(high))


def tasks_for_power_exact(sd_log: float, delta: float, alpha_two_sided: float, power: float = 0.80, *,
                          seed: int = 0, simulations: int = SIMULATIONS, max_tasks: int = 2000) -> int | None:
    """Fewest tasks with which the exact signed-rank test at `alpha_two_sided` detects a true ratio of
    `delta` with `power` (seeded simulation), or None beyond `max_tasks`."""
    if delta <= 1 or sd_log <= 0 or not math.isfinite(sd_log):
        return None
    effect = math.log(delta)

    def enough(n: int) -> bool:
        return signed_rank_power(effect, sd_log, n, alpha_two_sided, seed=seed, simulations=simulations) >= power

    low = 2
    high = 4
    while not enough(high):
        low, high = high, high * 2
        if high > max_tasks:
            return None
    while low < high:   # power is (nearly) monotone in n; the smallest n that is enough
        mid = (low + high) // 2
        if enough(mid):
            high = mid
        else:
            low = mid + 1
    return high


def normal_mde_ratio(sd_log: float, n: int, alpha_two_sided: float, power: float = 0.80) -> float | None:
    """The normal approximation protocol 1 used (signed-rank ARE 3/pi): optimistic at small n."""
    if n < 2 or sd_log <= 0:
        return None
    z = _NORMAL.ppf(1 - alpha_two_sided / 2) + _NORMAL.ppf(power)
    return float(math.exp(z * sd_log / math.sqrt(n * 3.0 / math.pi)))


__all__ = ["ShiftInterval", "interpolated_walsh_interval", "mann_whitney_cdf", "mde_ratio_exact", "normal_mde_ratio",
           "shift_interval", "signed_rank_power", "tasks_for_power_exact"]
