"""evaluator.base.stats against published reference values and values computed by hand.

Every reference value names its source in a comment: a published document, or "by hand"
(worked out on paper from the definition, with the working shown where it is short).
"""

from __future__ import annotations

import dataclasses
import itertools
import warnings

import numpy as np
import pytest
from scipy import stats as scipy_stats

from evaluator.base.stats import (
    A_HIGHER,
    B_HIGHER,
    INCONCLUSIVE,
    NO_SIGNIFICANT_DIFFERENCE,
    compare_family,
    geometric_mean_ratio,
    hodges_lehmann,
    holm,
    paired_comparison,
    timing_comparison,
)

# Darwin's cross- vs self-fertilised corn, differences in eighths of an inch (Fisher 1935), as given
# in the scipy.stats.wilcoxon docstring (scipy 1.17): two-sided statistic 24.0, p = 0.041259765625
# (exact); one-sided 'greater' statistic (the positive rank sum) 96.0.
DARWIN_D = np.array([6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75], dtype=float)

# pingouin.wilcoxon docstring example (raphaelvallat/pingouin, nonparametric.py): W-val 20.5,
# RBC -0.378788. One difference is zero and |d| has ties. Its Julia port's docstring
# (clementpoiret/Pingouin.jl) shows HypothesisTests.jl's *exact* test on the same data:
# rank sums [20.5, 45.5], two-sided p 0.2881 (Pingouin.jl prints p_val 0.288086).
PINGOUIN_X = [20, 22, 19, 20, 22, 18, 24, 20, 19, 24, 26, 13]
PINGOUIN_Y = [38, 37, 33, 29, 14, 12, 20, 22, 17, 25, 26, 16]

# Hollander & Wolfe's Hamilton depression data (also the example of R's ?wilcox.test). R 2.11.1,
# wilcox.test(x, y, paired = TRUE, exact = TRUE): V = 40, p-value = 0.03906, quoted in the Apache
# Commons Math / CNES Patrius test WilcoxonSignedRankTestTest.java.
DEPRESSION_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_Y = [0.878, 0.647, 0.598, 2.050, 1.060, 1.290, 1.060, 3.140, 1.290]


def positive_pair(d: np.ndarray, base: float = 100.0) -> tuple[np.ndarray, np.ndarray]:
    """a, b > 0 with a - b == d exactly (small integers are exact in float64)."""
    return base + d, np.full(len(d), base)


# --- Wilcoxon signed-rank -------------------------------------------------------------------------

def test_darwin_matches_scipy_docstring():
    a, b = positive_pair(DARWIN_D)
    c = paired_comparison(a, b)
    assert c.n == c.n_nonzero == 15
    assert c.statistic == 24.0                                   # scipy docstring
    assert c.pvalue == pytest.approx(0.041259765625, rel=1e-12)  # scipy docstring, exact
    assert c.method == "exact"
    assert c.r_plus == 96.0                                      # scipy docstring, one-sided statistic
    assert c.r_minus == 24.0                                     # by hand: 120 - 96, n(n+1)/2 = 120
    assert c.rank_biserial == pytest.approx(0.6)                 # by hand: (96 - 24) / 120
    assert c.min_attainable_p == pytest.approx(2 / 2**15)        # by hand: both all-same-sign outcomes
    assert c.verdict == A_HIGHER


def test_pingouin_example_with_a_zero_and_ties():
    c = paired_comparison(PINGOUIN_X, PINGOUIN_Y)
    assert c.statistic == 20.5                                   # pingouin docstring W-val
    assert c.rank_biserial == pytest.approx(-0.378788, abs=1e-6)  # pingouin docstring RBC
    assert (c.r_plus, c.r_minus) == (20.5, 45.5)                 # HypothesisTests.jl rank sums
    assert c.pvalue == pytest.approx(0.288086, abs=1e-6)         # HypothesisTests.jl exact p
    assert c.n == 12 and c.n_nonzero == 11                       # by hand: 26 - 26 = 0 is dropped
    assert c.method == "permutation"                             # scipy's exhaustive sign flips, n <= 13
    assert c.min_attainable_p == pytest.approx(2 / 2**11)        # by hand: 11 non-zero pairs
    assert c.verdict == NO_SIGNIFICANT_DIFFERENCE


def test_depression_data_matches_r():
    c = paired_comparison(DEPRESSION_X, DEPRESSION_Y)
    assert c.r_plus == 40.0                                      # R: V = 40
    assert c.statistic == 5.0                                    # by hand: min(40, 45 - 40)
    assert c.pvalue == pytest.approx(0.03906, abs=1e-5)          # R: p-value = 0.03906
    assert c.rank_biserial == pytest.approx(35 / 45)             # by hand: (40 - 5) / 45
    # by hand: sorted d = -.147 -.08 .01 .43 .49 .59 .62 .952 1.022; Walsh averages <= .46 number
    # 9 + 7 + 5 + 2 = 23 (.46 itself = (.43 + .49) / 2 among them), so the 23rd of 45 is .46
    assert c.hodges_lehmann == pytest.approx(0.46)
    assert c.verdict == A_HIGHER


def test_wilcoxon_1945_data():
    # Wilcoxon (1945) paired data as in WolfGladrow/DataAnalysis2022 NHST-pairedWilcoxon.R, whose
    # printed result is T- = 3, T+ = 33.
    a = [209, 200, 177, 169, 159, 169, 187, 198]
    b = [151, 168, 147, 164, 166, 163, 176, 188]
    c = paired_comparison(a, b)
    assert (c.r_plus, c.r_minus, c.statistic) == (33.0, 3.0, 3.0)
    # by hand: subsets of ranks 1..8 with sum <= 3 are {}, {1}, {2}, {3}, {1,2}: p = 2 * 5 / 256
    assert c.pvalue == pytest.approx(10 / 256)
    assert c.rank_biserial == pytest.approx(30 / 36)             # by hand


def test_rank_biserial_with_ties_by_hand():
    # d = 1, -2, 3, 3: |d| ranks 1, 2, 3.5, 3.5; r+ = 8, r- = 2; r = 6 / 10 (by hand)
    c = paired_comparison([11, 8, 13, 13], [10, 10, 10, 10])
    assert (c.r_plus, c.r_minus) == (8.0, 2.0)
    assert c.rank_biserial == pytest.approx(0.6)
    reversed_c = paired_comparison([10, 10, 10, 10], [11, 8, 13, 13])
    assert reversed_c.rank_biserial == pytest.approx(-0.6)
    assert reversed_c.pvalue == c.pvalue


def test_zero_differences_are_dropped_like_scipy_wilcox():
    a = [5, 7, 7, 9, 12, 15, 20]
    b = [5, 6, 7, 5, 10, 11, 13]    # d = 0, 1, 0, 4, 2, 4, 7
    c = paired_comparison(a, b)
    assert c.n == 7 and c.n_nonzero == 5
    assert c.pvalue == scipy_stats.wilcoxon(a, b, zero_method="wilcox").pvalue
    assert c.r_minus == 0.0 and c.rank_biserial == 1.0
    assert c.min_attainable_p == pytest.approx(2 / 2**5)          # by hand: 5 non-zero pairs
    assert c.verdict == INCONCLUSIVE                              # 1/16 > 0.05: can never be significant


def test_all_differences_zero_gives_p_one_and_inconclusive_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for n in (1, 5, 20, 60):
            values = np.arange(1.0, n + 1)
            c = paired_comparison(values, values)
            assert (c.pvalue, c.statistic, c.method) == (1.0, 0.0, "none")
            assert c.n_nonzero == 0 and c.rank_biserial is None
            assert c.hodges_lehmann == 0.0 and c.ratio == 1.0
            assert c.min_attainable_p == 1.0
            assert c.verdict == INCONCLUSIVE and "zero" in c.note


def test_single_pair_is_inconclusive():
    c = paired_comparison([3.0], [1.0])
    assert c.min_attainable_p == 1.0 and c.pvalue == 1.0
    assert c.verdict == INCONCLUSIVE
    assert c.ratio == pytest.approx(3.0) and c.ratio_ci is None and "too small" in c.ratio_reason


@pytest.mark.parametrize("n", range(1, 21))
def test_min_attainable_p_is_two_over_two_to_the_n_without_ties(n):
    d = np.arange(1.0, n + 1) * np.where(np.arange(n) % 2, -1, 1)   # distinct |d|, mixed signs
    c = paired_comparison(*positive_pair(d))
    assert c.min_attainable_p == pytest.approx(min(1.0, 2 / 2**n))  # by hand: exact null, two tails
    extreme = paired_comparison(*positive_pair(np.abs(d)))
    assert extreme.pvalue == pytest.approx(c.min_attainable_p)


def test_five_pairs_can_never_be_significant_but_six_can():
    five = paired_comparison([2, 3, 4, 5, 6], [1, 1, 1, 1, 1])
    assert five.pvalue == pytest.approx(0.0625) and five.verdict == INCONCLUSIVE   # by hand: 2/32
    six = paired_comparison([2, 3, 4, 5, 6, 7], [1, 1, 1, 1, 1, 1])
    assert six.pvalue == pytest.approx(0.03125) and six.verdict == A_HIGHER         # by hand: 2/64
    assert paired_comparison([1] * 6, [2, 3, 4, 5, 6, 7]).verdict == B_HIGHER


def test_min_attainable_p_with_ties_and_zeros_bounds_every_sign_pattern():
    magnitudes = np.array([0.0, 1.0, 1.0, 2.0, 3.0, 3.0, 5.0])
    c = paired_comparison(*positive_pair(magnitudes))
    pvalues = [paired_comparison(*positive_pair(magnitudes * np.array(signs)), n_resamples=99).pvalue
               for signs in itertools.product((1, -1), repeat=len(magnitudes))]
    assert min(pvalues) == pytest.approx(c.min_attainable_p)
    assert c.min_attainable_p == pytest.approx(2 / 2**6)          # by hand: 6 non-zero pairs


@pytest.mark.parametrize("d", [
    [1, 1, 2, -3, 0],                 # a zero and a tie
    [2, 2, 2, -2, 5, 0, 0, 7],        # heavy ties, two zeros
    [-1, -1, 4, 4, 4, -6, 9],         # ties, no zero
])
def test_small_samples_with_ties_or_zeros_match_scipy_wilcoxon_exactly(d):
    # scipy's automatic choice here is an exhaustive sign-flip permutation test; stats runs the
    # same test with a vectorized statistic, so the p-values must be identical
    d = np.array(d, dtype=float)
    c = paired_comparison(*positive_pair(d))
    reference = scipy_stats.wilcoxon(d)
    assert c.method == "permutation"
    assert c.pvalue == reference.pvalue
    assert c.statistic == reference.statistic


def test_large_n_uses_scipy_normal_approximation():
    rng = np.random.default_rng(3)
    a, b = rng.lognormal(0.0, 1.0, 60), rng.lognormal(0.1, 1.0, 60)
    c = paired_comparison(a, b, n_resamples=999)
    assert c.method == "asymptotic"
    assert c.pvalue == scipy_stats.wilcoxon(a, b, method="asymptotic").pvalue
    assert c.min_attainable_p < 1e-10


def test_ties_with_more_than_13_pairs_use_asymptotic():
    d = np.array([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, -7], dtype=float)   # 14 pairs, ties
    c = paired_comparison(*positive_pair(d))
    assert c.method == "asymptotic"
    assert c.pvalue == scipy_stats.wilcoxon(d, method="asymptotic").pvalue


# --- Hodges-Lehmann -------------------------------------------------------------------------------

def test_hodges_lehmann_by_hand():
    # d = 1, 2, 4: Walsh averages 1, 1.5, 2.5, 2, 3, 4 -> median (2 + 2.5) / 2 = 2.25 (by hand)
    assert hodges_lehmann([1, 2, 4]) == 2.25
    # d = 0, 0, 3: Walsh averages 0, 0, 1.5, 0, 1.5, 3 -> median (0 + 1.5) / 2 = 0.75 (by hand)
    assert hodges_lehmann([0, 0, 3]) == 0.75
    with pytest.raises(ValueError):
        hodges_lehmann([])


def test_paired_hodges_lehmann_keeps_zero_differences():
    c = paired_comparison([5, 5, 8], [5, 5, 5])    # d = 0, 0, 3
    assert c.hodges_lehmann == 0.75                 # by hand, above; 3.0 if zeros were dropped


# --- ratios and the bootstrap ---------------------------------------------------------------------

def test_geometric_mean_ratio_by_hand_and_seeded_bootstrap():
    c = paired_comparison([2, 8, 1, 3], [1, 2, 1, 3])    # ratios 2, 4, 1, 1
    assert c.ratio == pytest.approx(8 ** 0.25)           # by hand: (2 * 4 * 1 * 1) ** (1/4)
    assert c.ratio_ci_method == "BCa" and c.ratio_reason == ""
    low, high = c.ratio_ci
    assert low < c.ratio < high
    expected = scipy_stats.bootstrap((np.log([2.0, 4.0, 1.0, 1.0]),), np.mean, n_resamples=9999,
                                     method="BCa", rng=np.random.default_rng(0)).confidence_interval
    assert (low, high) == pytest.approx((np.exp(expected.low), np.exp(expected.high)))
    assert paired_comparison([2, 8, 1, 3], [1, 2, 1, 3]).ratio_ci == c.ratio_ci


def test_bootstrap_is_seeded():
    rng = np.random.default_rng(5)
    a, b = rng.lognormal(0.0, 1.0, 25), rng.lognormal(0.0, 1.0, 25)
    first, again = paired_comparison(a, b, seed=3), paired_comparison(a, b, seed=3)
    assert first.ratio_ci == again.ratio_ci
    assert paired_comparison(a, b, seed=4).ratio_ci != first.ratio_ci


def test_ratio_is_none_with_zero_values_but_the_test_still_runs():
    c = paired_comparison([0, 2, 3, 4, 5, 6, 7], [1, 0, 1, 1, 1, 1, 1])
    assert c.ratio is None and c.ratio_ci is None and c.ratio_ci_method is None
    assert "positive" in c.ratio_reason and "1 non-positive in a, 1 in b" in c.ratio_reason
    assert c.pvalue == scipy_stats.wilcoxon([0, 2, 3, 4, 5, 6, 7], [1, 0, 1, 1, 1, 1, 1]).pvalue
    assert c.hodges_lehmann == hodges_lehmann([-1, 2, 2, 3, 4, 5, 6])


def test_geometric_mean_ratio_edge_cases():
    assert geometric_mean_ratio([2.0, 8.0]).ratio == pytest.approx(4.0)     # by hand: sqrt(16)
    assert geometric_mean_ratio([2.0, 8.0]).ci is None
    equal = geometric_mean_ratio([1.5, 1.5, 1.5, 1.5])
    assert equal.ratio == pytest.approx(1.5) and equal.ci is None and "equal" in equal.reason
    negative = geometric_mean_ratio([1.0, -2.0, 3.0])
    assert negative.ratio is None and "not positive" in negative.reason
    assert geometric_mean_ratio([]).ratio is None
    spread = geometric_mean_ratio([0.5, 1.0, 2.0, 4.0, 1.0, 0.25, 1.0, 1.0])
    assert spread.ratio == pytest.approx(1.0)     # by hand: log2 -1, 0, 1, 2, 0, -2, 0, 0 sum to 0
    assert spread.ci[0] < 1.0 < spread.ci[1] and spread.ci_method == "BCa"


# --- Holm -----------------------------------------------------------------------------------------

def test_holm_wikipedia_example():
    # Wikipedia, "Holm-Bonferroni method", example: p = 0.01, 0.04, 0.03, 0.005 at alpha 0.05
    # rejects H1 and H4 only. Adjusted values by hand: sorted .005*4 = .02, .01*3 = .03,
    # .03*2 = .06, .04*1 = .04 -> running max .02, .03, .06, .06.
    adjusted = holm([0.01, 0.04, 0.03, 0.005])
    assert adjusted == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert [p <= 0.05 for p in adjusted] == [True, False, False, True]


def test_holm_caps_at_one_keeps_order_and_validates():
    assert holm([0.5, 0.6]) == pytest.approx([1.0, 1.0])          # by hand: min(1, 2 * .5), max(1, .6)
    assert holm([0.011, 0.01]) == pytest.approx([0.02, 0.02])    # by hand: .01*2, max(.02, .011)
    assert holm([0.2]) == [0.2]
    assert holm([]) == []
    with pytest.raises(ValueError):
        holm([0.1, 1.5])
    with pytest.raises(ValueError):
        holm([float("nan")])


def test_compare_family_uses_adjusted_p_for_the_verdict():
    darwin = positive_pair(DARWIN_D)
    alone = paired_comparison(*darwin)
    assert alone.verdict == A_HIGHER and alone.pvalue_holm is None
    family = compare_family({"lines": darwin, "tokens": darwin})
    for c in family.values():
        assert c.pvalue == alone.pvalue
        assert c.pvalue_holm == pytest.approx(2 * 0.041259765625)   # by hand: Holm of two equal p
        assert c.verdict == NO_SIGNIFICANT_DIFFERENCE


def test_compare_family_marks_metrics_holm_can_never_reach_as_inconclusive():
    six = ([2, 3, 4, 5, 6, 7], [1, 1, 1, 1, 1, 1])     # p = min p = 1/32 < 0.05 alone
    assert paired_comparison(*six).verdict == A_HIGHER
    family = compare_family({"a": six, "b": six, "darwin": positive_pair(DARWIN_D)})
    for name in ("a", "b"):
        assert family[name].min_attainable_p_holm == pytest.approx(2 / 32)   # by hand: 2 * 1/32
        assert family[name].verdict == INCONCLUSIVE
    # by hand: sorted 1/32 * 3 = 3/32, 1/32 * 2, .0413 * 1 -> running max 3/32 for all three
    assert family["darwin"].pvalue_holm == pytest.approx(3 / 32)
    assert family["darwin"].verdict == NO_SIGNIFICANT_DIFFERENCE


# --- timings --------------------------------------------------------------------------------------

def test_timing_comparison_matches_scipy_mannwhitneyu_docstring():
    # scipy.stats.mannwhitneyu docstring (diabetes diagnosis ages): U1 = 17, exact p 0.1111111111111111
    males, females = [19, 22, 16, 29, 24], [20, 11, 17, 12]
    t = timing_comparison(males, females)
    assert t.statistic == 17.0
    assert t.pvalue == pytest.approx(0.1111111111111111)
    assert t.method == "exact"
    assert t.ratio == pytest.approx(22 / 14.5)             # by hand: medians 22 and (12 + 17) / 2
    assert t.min_attainable_p == pytest.approx(2 / 126)    # by hand: 2 / C(9, 4)
    assert t.verdict == NO_SIGNIFICANT_DIFFERENCE
    low, high = t.ratio_ci
    assert low <= t.ratio <= high


def test_timing_comparison_detects_a_slower_and_b_slower():
    rng = np.random.default_rng(7)
    fast, slow = rng.lognormal(0.0, 0.05, 20), rng.lognormal(0.3, 0.05, 20)
    slower_a = timing_comparison(slow, fast)
    assert slower_a.verdict == A_HIGHER and slower_a.method == "asymptotic"
    assert slower_a.pvalue == scipy_stats.mannwhitneyu(slow, fast, alternative="two-sided").pvalue
    assert slower_a.ratio_ci[0] > 1.0
    assert timing_comparison(fast, slow).verdict == B_HIGHER


def test_timing_min_attainable_p_bounds_every_arrangement_with_ties():
    pooled = [1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 3.0]   # the extreme is a taking the smallest values
    t = timing_comparison(pooled[:3], pooled[3:])
    pvalues = [scipy_stats.mannwhitneyu([pooled[i] for i in chosen],
                                        [pooled[i] for i in range(7) if i not in chosen]).pvalue
               for chosen in itertools.combinations(range(7), 3)]
    assert t.method == "asymptotic"
    assert t.min_attainable_p == pytest.approx(min(pvalues))


def test_timing_comparison_too_few_samples_or_degenerate():
    tiny = timing_comparison([1.0, 1.1], [2.0, 2.1])
    assert tiny.ratio_ci is None and "too few" in tiny.ratio_reason
    assert tiny.min_attainable_p == pytest.approx(2 / 6)   # by hand: 2 / C(4, 2)
    assert tiny.verdict == INCONCLUSIVE
    flat = timing_comparison([1.0, 1.0, 1.0], [1.0, 1.0, 1.0])
    assert flat.ratio == 1.0 and flat.ratio_ci is None and flat.verdict == INCONCLUSIVE
    assert timing_comparison([0.0, 1.0, 1.0], [1.0, 1.0, 2.0]).ratio is None


def test_timing_bca_falls_back_to_percentile_when_jackknife_is_constant():
    # every leave-one-out median of each sample is 2 (resp. 5): BCa's acceleration is 0/0
    t = timing_comparison([1, 2, 2, 2, 3], [4, 5, 5, 5, 6])
    assert t.ratio == pytest.approx(0.4)
    assert t.ratio_ci_method == "percentile"
    assert t.ratio_ci[0] <= 0.4 <= t.ratio_ci[1]


# --- contract -------------------------------------------------------------------------------------

def test_invalid_inputs_raise():
    with pytest.raises(ValueError, match="equal length"):
        paired_comparison([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="NaN"):
        paired_comparison([1, float("nan")], [1, 2])
    with pytest.raises(ValueError, match="at least one"):
        paired_comparison([], [])
    with pytest.raises(ValueError, match="alpha"):
        paired_comparison([1, 2], [2, 3], alpha=1.5)
    with pytest.raises(ValueError):
        timing_comparison([], [1.0])


def test_results_are_frozen():
    c = paired_comparison([2, 3, 4], [1, 1, 1])
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.pvalue = 0.0  # type: ignore[misc]
