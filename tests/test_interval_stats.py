"""Protocol 2's statistics: the Mann-Whitney distribution and shift interval, interpolated intervals, and
power by simulation of the exact signed-rank test (checked at n = 9, 20 and 58)."""

import itertools
import math

import numpy as np
import pytest

from evaluator.base.interval_stats import (
    interpolated_walsh_interval, mann_whitney_cdf, mde_ratio_exact, normal_mde_ratio, shift_interval,
    signed_rank_power, tasks_for_power_exact,
)
from evaluator.base.stats import walsh_interval


@pytest.mark.parametrize("n, m", [(1, 1), (2, 3), (3, 4), (4, 5)])
def test_mann_whitney_distribution_by_enumeration(n, m):
    counts = np.zeros(n * m + 1)
    for first in itertools.combinations(range(n + m), n):   # the first sample's ranks (0-based)
        counts[sum(first) - n * (n - 1) // 2] += 1           # U = rank sum - n(n+1)/2, ranks 1-based
    assert mann_whitney_cdf(n, m) == pytest.approx(list(np.cumsum(counts) / counts.sum()), abs=1e-12)


def test_shift_interval_by_hand_and_its_coverage():
    # x - y differences of (1, 2) and (0,): 1, 2 -> median 1.5; the widest interval is their range
    s = shift_interval([1.0, 2.0], [0.0], 0.5)
    assert s.shift == 1.5 and (s.low, s.high) == (1.0, 2.0) and s.achieved == pytest.approx(1 - 2 / 3)
    rng = np.random.default_rng(3)
    hits = sum(s.low <= 0.4 <= s.high for s in (shift_interval(rng.normal(0.4, 1, 9), rng.normal(0, 1, 30), 0.9)
                                                 for _ in range(300)))
    assert 0.85 <= hits / 300 <= 0.96          # nominal 90% (achieved slightly above), 300 draws


def test_interpolated_interval_sits_between_the_bracketing_exact_intervals():
    d = [0.1, 0.2, 0.3, -0.05]                  # n = 4: exact levels 87.5% (k = 1) and 75% (k = 2)
    wide_low, wide_high, level = walsh_interval(d, 0.80)
    assert level == pytest.approx(0.875)
    low, high = interpolated_walsh_interval(d, 0.80)
    assert wide_low < low and high < wide_high   # narrower than the 87.5% interval ...
    # ... by 60% of the way to the 75% one: weight (0.80 - 0.75) / (0.875 - 0.75) = 0.4 on the wider
    walsh = sorted((d[i] + d[j]) / 2 for i in range(4) for j in range(i, 4))
    assert low == pytest.approx(0.4 * walsh[0] + 0.6 * walsh[1]) and high == pytest.approx(0.4 * walsh[-1] + 0.6 * walsh[-2])
    assert interpolated_walsh_interval(d, 0.90) is None              # 4 tasks cannot reach 90%
    assert interpolated_walsh_interval([0.3], 0.80) is None          # one task: no interval
    exact = walsh_interval(list(range(1, 21)), 0.80)
    assert exact[2] >= 0.80 and interpolated_walsh_interval(list(range(1, 21)), 0.80) is not None


@pytest.mark.parametrize("n", [9, 20, 58])
def test_the_mde_has_the_stated_power_under_fresh_simulations(n):
    sd, alpha = 0.2, 0.01
    mde = mde_ratio_exact(sd, n, alpha, 0.80)
    fresh = signed_rank_power(math.log(mde), sd, n, alpha, seed=12345, simulations=6000)
    assert fresh == pytest.approx(0.80, abs=0.025)               # independent draws agree within Monte Carlo error
    assert signed_rank_power(math.log(mde) * 0.8, sd, n, alpha, seed=12345, simulations=6000) < 0.75


def test_the_normal_approximation_is_optimistic_at_small_n():
    sd, alpha = 0.2, 0.01
    exact, normal = mde_ratio_exact(sd, 9, alpha), normal_mde_ratio(sd, 9, alpha)
    assert normal < exact                                        # 1.26 against 1.38 here
    assert signed_rank_power(math.log(normal), sd, 9, alpha, seed=99, simulations=6000) < 0.65
    assert mde_ratio_exact(sd, 58, alpha) == pytest.approx(normal_mde_ratio(sd, 58, alpha), rel=0.01)   # large n: close


def test_tasks_for_power_is_the_smallest_n_with_the_power():
    n = tasks_for_power_exact(0.2, 1.25, 0.01)
    assert signed_rank_power(math.log(1.25), 0.2, n, 0.01) >= 0.80 > signed_rank_power(math.log(1.25), 0.2, n - 1, 0.01)
    assert mde_ratio_exact(0.2, 7, 0.01) is None                 # 2 / 2^7 > 0.01: the test can never reject
