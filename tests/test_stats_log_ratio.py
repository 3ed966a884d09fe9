"""The claim protocol's statistics on one scale: log-ratio Wilcoxon, exact Walsh-average intervals, MDE.

Oracle values name their source: R's wilcox.test(..., conf.int = TRUE) output as quoted, with the R
call, in JuliaStats/HypothesisTests.jl test/wilcoxon.jl ("Test confidence interval", "Hodges-Lehmann
estimate"), and R's documentation example on Hollander & Wolfe's depression data.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats as scipy_stats

from evaluator.base.stats import (
    _pratt_pvalue, _signed_rank_p, _wilcoxon_method, _wilcoxon_pvalue, holm_family, log_ratio_test, log_ratios,
    mde_ratio, signed_rank_cdf, tasks_for_power, walsh_interval,
)

# HypothesisTests.jl test/wilcoxon.jl: "R: wilcox.test(x, conf.int = TRUE, exact = TRUE) -> (3.3, 15.5)";
# one-sided at 95% (the ends of the two-sided 90% interval): "less" -> (-Inf, 14.45), "greater" ->
# (4.45, Inf); "R reports 9.675 as the estimate for this sample".
R_X = [-7.8, -6.9, -4.7, 3.7, 6.5, 8.7, 9.1, 10.1, 10.8, 13.6, 14.4, 16.6, 20.2, 22.4, 23.5]
# Same file, the sample from HypothesisTests.jl issue #368: "wilcox.test(z, conf.int = TRUE) -> (-0.7, 1.1)".
R_Z = [v - 3 for v in (1.2, 2.3, 3.1, 4.4, 2.8, 3.9, 5.1, 2.2, 3.3, 4.0)]
# R's ?wilcox.test example (Hollander & Wolfe 1973, p. 29f), x and y paired. By hand from the order
# statistics R uses (qsignrank(0.025, 9) = 6): Walsh averages 6 and 40 of 45 are 0.01 and 0.786;
# the median of the 45 is 0.46.
DEPRESSION_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_Y = [0.878, 0.647, 0.598, 2.050, 1.060, 1.290, 1.060, 3.140, 1.290]


def test_walsh_interval_matches_r_exact_intervals():
    low, high, level = walsh_interval(R_X, 0.95)
    assert (low, high) == pytest.approx((3.3, 15.5), abs=1e-12)          # R, exact
    assert level == pytest.approx(1 - 2 * signed_rank_cdf(15)[25])       # by hand: k = 26, 1 - 2 P(V <= 25)
    assert level >= 0.95
    low, high, _ = walsh_interval(R_X, 0.90)
    assert (low, high) == pytest.approx((4.45, 14.45), abs=1e-12)        # R, the two one-sided 95% ends
    assert walsh_interval(R_Z, 0.95)[:2] == pytest.approx((-0.7, 1.1), abs=1e-12)
    d = np.subtract(DEPRESSION_X, DEPRESSION_Y)
    assert walsh_interval(d, 0.95)[:2] == pytest.approx((0.01, 0.786), abs=1e-12)


def test_log_ratio_interval_is_the_r_interval_of_the_log_ratios_as_ratios():
    # a / b = exp(x / 10): the log ratios are R_X / 10, so R's interval and estimate divide by 10
    a, b = np.exp(np.array(R_X) / 10), np.ones(len(R_X))
    t = log_ratio_test(a, b)
    assert t.ci == pytest.approx((math.exp(0.33), math.exp(1.55)), rel=1e-12)          # R: (3.3, 15.5) / 10
    assert t.ci_equivalence == pytest.approx((math.exp(0.445), math.exp(1.445)), rel=1e-12)
    assert t.ratio == pytest.approx(math.exp(0.9675), rel=1e-12)                         # R: 9.675 / 10
    # R: wilcox.test(x, alternative = "greater") -> 0.001678466797; two-sided doubles it (exact, no ties)
    assert t.pvalue == pytest.approx(2 * 0.001678466797, rel=1e-9)
    assert (t.n, t.n_nonzero, t.method, t.offset) == (15, 15, "exact", 0.0)


def test_depression_data_on_the_log_scale_by_hand():
    t = log_ratio_test(DEPRESSION_X, DEPRESSION_Y)
    d = np.log(np.array(DEPRESSION_X) / np.array(DEPRESSION_Y))
    # by hand: two log ratios are negative, 0.50/0.647 and 3.06/3.14; by |d| they rank 4 and 2, so
    # r_minus = 6. Subsets of {1..9} summing to at most 6 number 1+1+1+2+2+3+4 = 14, so the exact
    # two-sided p is 2 * 14/512 = 0.0547: on the log scale the change is not significant, where R's
    # test of the raw differences (r_minus = 5) gives 0.039.
    assert sorted(np.argsort(np.argsort(np.abs(d)))[d < 0] + 1) == [2, 4]
    assert t.pvalue == pytest.approx(28 / 512)
    assert t.rank_biserial == pytest.approx((39 - 6) / 45)
    assert t.min_attainable_p == pytest.approx(2 / 512)


def test_signed_rank_cdf_by_hand():
    # n = 3: subsets of {1, 2, 3} by sum: 0:{}, 1:{1}, 2:{2}, 3:{3},{1,2}, 4:{1,3}, 5:{2,3}, 6:{1,2,3}
    assert signed_rank_cdf(3) == pytest.approx((1 / 8, 2 / 8, 3 / 8, 5 / 8, 6 / 8, 7 / 8, 1.0))
    assert signed_rank_cdf(0) == (1.0,)


def test_counts_get_an_offset_and_equal_ratios_tie_exactly():
    # 10/20 and 21/41 after +1: log(11/21) and log(22/42) are the same ratio
    d = log_ratios([10, 21], [20, 41], offset=1.0)
    assert d[0] == d[1] == round(math.log(11 / 21), 12)
    with pytest.raises(ValueError, match="positive values after the offset 0"):
        log_ratios([0, 1], [1, 1])
    t = log_ratio_test([0, 1, 2], [1, 1, 1])             # no offset: a zero count has no log
    assert t.ratio is None and t.pvalue == 1.0 and "positive" in t.reason


def test_zeros_are_dropped_by_the_test_and_kept_by_the_estimate():
    a = [10, 10, 10, 12, 14, 16, 18, 20, 22, 24]
    b = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10]
    t = log_ratio_test(a, b)
    assert (t.n, t.n_nonzero) == (10, 7)
    assert t.method == "permutation"                       # zeros and n <= 13: every sign pattern
    assert t.pvalue == pytest.approx(2 / 2**7)            # by hand: all 7 non-zero ratios above 1
    d = np.log(np.array(a) / np.array(b))
    walsh = [(d[i] + d[j]) / 2 for i in range(10) for j in range(i, 10)]
    assert t.ratio == pytest.approx(math.exp(np.median(walsh)))   # all 55 Walsh averages, zeros included
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert t.pvalue_pratt == pytest.approx(scipy_stats.wilcoxon(d, zero_method="pratt", method="asymptotic").pvalue)


@pytest.mark.parametrize("seed", range(40))
def test_fast_signed_rank_p_equals_scipy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    d = np.round(rng.normal(0.3, 1.0, n), int(rng.integers(0, 3)))   # rounding makes ties
    d[: int(rng.integers(0, n // 3 + 1))] = 0.0                     # and zeros
    if not np.any(d != 0):
        d[0] = 1.0
    method = _wilcoxon_method(d)
    assert _signed_rank_p(d, method) == pytest.approx(_wilcoxon_pvalue(d, method), rel=1e-9, abs=1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = scipy_stats.wilcoxon(d, zero_method="pratt", method="asymptotic").pvalue
    assert _pratt_pvalue(d) == pytest.approx(expected, rel=1e-9)


def test_holm_family_counts_missing_tests_as_p_one():
    t = log_ratio_test(np.arange(2, 12), np.arange(1, 11))
    assert t.pvalue == pytest.approx(2 / 2**10)
    alone = holm_family({"x": t})["x"]
    in_ten = holm_family({"x": t}, size=10)["x"]
    assert alone.pvalue_holm == pytest.approx(t.pvalue)
    assert in_ten.pvalue_holm == pytest.approx(10 * t.pvalue)          # the first Holm step: m * p
    assert in_ten.min_attainable_p_holm == pytest.approx(10 * 2 / 2**10)


def test_mde_by_hand_and_its_inverse():
    # by hand: (z_0.975 + z_0.80) = 1.959964 + 0.841621 = 2.801585; n = 30 with the signed-rank
    # efficiency 3/pi gives sqrt(30 * 0.954930) = 5.352372; sd 0.3 -> log MDE = 0.157030
    assert mde_ratio(0.3, 30, 0.05) == pytest.approx(math.exp(2.801585 * 0.3 / 5.352372), rel=1e-5)
    assert mde_ratio(0.0, 30, 0.05) is None and mde_ratio(0.3, 1, 0.05) is None
    assert mde_ratio(0.3, 30, 0.005) > mde_ratio(0.3, 30, 0.05)        # Holm's stricter level: larger MDE
    n = tasks_for_power(0.3, 1.25, 0.05)
    assert mde_ratio(0.3, n, 0.05) <= 1.25 < mde_ratio(0.3, n - 1, 0.05)


def test_interval_with_too_few_tasks_reports_the_confidence_it_reaches():
    low, high, level = walsh_interval([0.1, 0.3], 0.95)
    assert (low, high) == (0.1, 0.3) and level == pytest.approx(0.5)   # by hand: 1 - 2 P(V <= 0) = 1 - 2/4
